package dev.vshard.node.routing;

import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The node's handle on the metadata group. {@link #submit} replicates a command and completes with the
 * table as committed (exceptionally with {@link MetadataRejectedException} when the table refuses it);
 * {@link #current} is this node's local copy, which follows committed entries.
 */
public interface MetadataService {
  CompletableFuture<RoutingTable> submit(MetadataCommand command);

  RoutingTable current();

  /** Called (on a Ratis thread: keep it short) after every applied change of the local copy. */
  void addListener(Consumer<RoutingTable> listener);
}
