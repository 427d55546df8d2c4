package dev.vshard.testsupport.node;

/** Told about every {@link NodeEvent}, in order per node, on the thread that caused it (READY: a probe thread). */
@FunctionalInterface
public interface NodeListener {
  void on(NodeEvent event, NodeProcess node);
}
