package dev.vshard.node.routing;

/** Where a node is reached: its advertised host and its three ports (an entry of the node directory). */
public record NodeAddress(String host, int httpPort, int adminPort, int raftPort) {
  public String raftAddress() {
    return host + ":" + raftPort;
  }
}
