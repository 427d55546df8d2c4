package dev.vshard.helm;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * One request to the Kubernetes API as RBAC sees it: namespace (null = cluster scope), group,
 * resource/subresource, verb, and the object name (null for collections).
 */
record ApiCall(String namespace, ApiAccess access, String name) {

  /** Parses a REST request; empty for non-resource paths (discovery, /version, /openapi). */
  static Optional<ApiCall> parse(String method, String pathAndQuery) {
    int q = pathAndQuery.indexOf('?');
    String path = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
    String query = q < 0 ? "" : pathAndQuery.substring(q + 1);
    List<String> parts = Arrays.stream(path.split("/")).filter(s -> !s.isEmpty()).toList();
    String group;
    List<String> rest;
    if (parts.size() >= 3 && parts.get(0).equals("api")) {
      group = "";
      rest = parts.subList(2, parts.size());
    } else if (parts.size() >= 4 && parts.get(0).equals("apis")) {
      group = parts.get(1);
      rest = parts.subList(3, parts.size());
    } else {
      return Optional.empty();
    }
    String namespace = null;
    if (rest.size() >= 2 && rest.get(0).equals("namespaces") && rest.size() != 2) {
      namespace = rest.get(1);
      rest = rest.subList(2, rest.size());
    }
    String resource = rest.get(0);
    String name = rest.size() > 1 ? rest.get(1) : null;
    String subresource = rest.size() > 2 ? "/" + rest.get(2) : "";
    boolean watch = Arrays.asList(query.split("&")).contains("watch=true");
    String verb = switch (method) {
      case "GET" -> watch ? "watch" : name == null ? "list" : "get";
      case "POST" -> "create";
      case "PUT" -> "update";
      case "PATCH" -> "patch";
      case "DELETE" -> name == null ? "deletecollection" : "delete";
      default -> throw new IllegalArgumentException("unexpected method " + method + " " + pathAndQuery);
    };
    return Optional.of(new ApiCall(namespace, new ApiAccess(group, resource + subresource, verb), name));
  }

  @Override
  public String toString() {
    return access + (namespace == null ? " (all namespaces)" : " in " + namespace) + (name == null ? "" : " name " + name);
  }
}
