package dev.vshard.operator.node;

import java.util.Map;
import java.util.Optional;

/**
 * The pods of one node cluster and its admin token, as observed at the start of a reconcile.
 *
 * @param nodes by node id (pod name)
 */
public record NodeCluster(String namespace, String name, Map<String, NodeEndpoint> nodes, String adminToken) {

  public Optional<NodeEndpoint> node(String id) {
    return Optional.ofNullable(nodes.get(id));
  }
}
