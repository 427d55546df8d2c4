package dev.vshard.node.raft;

import dev.vshard.node.routing.NodeAddress;
import java.util.Optional;

/** Resolves a node id to its address (the routing table's node directory, falling back to the initial members). */
@FunctionalInterface
public interface NodeDirectory {
  Optional<NodeAddress> address(String nodeId);
}
