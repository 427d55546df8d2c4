package dev.vshard.operator.node;

/** Makes the admin client for an observed cluster (a real HTTP one, or a fake in unit tests). */
@FunctionalInterface
public interface NodeAdminFactory {
  NodeAdmin forCluster(NodeCluster cluster);
}
