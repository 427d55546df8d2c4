package dev.vshard.helm;

/**
 * One kind of Kubernetes API access: a verb on a resource (with its subresource, e.g.
 * {@code vshardmigrations/status}) of an API group ("" = core).
 */
record ApiAccess(String group, String resource, String verb) implements Comparable<ApiAccess> {

  @Override
  public int compareTo(ApiAccess other) {
    return toString().compareTo(other.toString());
  }

  @Override
  public String toString() {
    return (group.isEmpty() ? "core" : group) + " " + resource + " " + verb;
  }
}
