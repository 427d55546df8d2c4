package dev.vshard.node;

/** One entry of {@code VSHARD_INITIAL_MEMBERS}: {@code id@host}. */
public record InitialMember(String id, String host) {
  /** The number after the last '-' of the id (the StatefulSet ordinal), or -1 when there is none. */
  public int ordinal() {
    int dash = id.lastIndexOf('-');
    String tail = id.substring(dash + 1);
    return tail.matches("\\d{1,9}") ? Integer.parseInt(tail) : -1;
  }
}
