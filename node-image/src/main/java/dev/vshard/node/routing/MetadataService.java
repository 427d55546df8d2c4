package dev.vshard.node.routing;

import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The node's handle on the metadata group. {@link #submit} replicates a command and completes with the
 * table as committed (exceptionally with {@link MetadataRejectedException} when the table refuses it);
 * {@link #current} is this node's local copy, which follows committed entries; {@link #latest} waits until
 * that copy holds everything committed before the call.
 */
public interface MetadataService {
  CompletableFuture<RoutingTable> submit(MetadataCommand command);

  RoutingTable current();

  /**
   * The local copy once it has applied every entry the metadata group committed before this call (a
   * linearizable read at the metadata leader names the index to wait for). A node that follows the group
   * lags by a round trip or more, so a call that reads a hold or a step result another node just committed
   * must read it here, not from {@link #current}.
   */
  CompletableFuture<RoutingTable> latest();

  /** Called (on a Ratis thread: keep it short) after every applied change of the local copy. */
  void addListener(Consumer<RoutingTable> listener);
}
