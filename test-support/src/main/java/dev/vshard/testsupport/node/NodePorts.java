package dev.vshard.testsupport.node;

/** The three ports every node of a cluster listens on (each node has its own loopback address). */
public record NodePorts(int http, int admin, int raft) {

  /** The contract's defaults: what a pod's container ports are. */
  public static final NodePorts DEFAULTS = new NodePorts(8080, 8081, 9870);
}
