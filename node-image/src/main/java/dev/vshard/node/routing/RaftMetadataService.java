package dev.vshard.node.routing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link MetadataService} over the metadata Raft group. Commands go to the group's leader through a pooled
 * async client; the local copy is fed by this node's replica of the group ({@link MetadataStateMachine}),
 * as a voter on up to three nodes and as a never-promoted LISTENER everywhere else.
 */
public final class RaftMetadataService implements MetadataService {
  private static final Logger LOG = LoggerFactory.getLogger(RaftMetadataService.class);
  private static final long SUBMIT_TIMEOUT_SECONDS = 30;

  private final ObjectMapper json;
  private final Function<Message, CompletableFuture<RaftClientReply>> sender;
  private final Function<Message, CompletableFuture<RaftClientReply>> leaderRead;
  /** Callers of {@link #latest} waiting for the local replica to apply an index, by index. */
  private final ConcurrentSkipListMap<Long, CompletableFuture<Void>> awaitingIndex = new ConcurrentSkipListMap<>();
  private volatile long appliedIndex = -1;
  private final List<Consumer<RoutingTable>> listeners = new CopyOnWriteArrayList<>();
  private volatile RoutingTable current;
  private final AtomicBoolean spreadingCommit = new AtomicBoolean();

  /**
   * @param sender    sends a message to the metadata group's leader (a pooled async Raft client)
   * @param leaderRead sends a read-only request to the metadata group's leader
   */
  public RaftMetadataService(String clusterId, ObjectMapper json, Function<Message, CompletableFuture<RaftClientReply>> sender,
                             Function<Message, CompletableFuture<RaftClientReply>> leaderRead) {
    this.json = json;
    this.sender = sender;
    this.leaderRead = leaderRead;
    this.current = RoutingTable.empty(clusterId);
  }

  @Override
  public CompletableFuture<RoutingTable> submit(MetadataCommand command) {
    byte[] bytes;
    try {
      bytes = json.writerFor(MetadataCommand.class).writeValueAsBytes(command);
    } catch (IOException e) {
      return CompletableFuture.failedFuture(e);
    }
    return sender.apply(Message.valueOf(UnsafeByteOperations.unsafeWrap(bytes)))
        .orTimeout(SUBMIT_TIMEOUT_SECONDS, TimeUnit.SECONDS)
        .thenApply(this::tableOrRejection);
  }

  private RoutingTable tableOrRejection(RaftClientReply reply) {
    if (!reply.isSuccess()) {
      throw new IllegalStateException("metadata group refused the request", reply.getException());
    }
    try {
      JsonNode body = json.readTree(reply.getMessage().getContent().toByteArray());
      JsonNode rejected = body.get("rejected");
      if (rejected != null) {
        throw new MetadataRejectedException(rejected.path("code").asText(), rejected.path("message").asText(),
            rejected.path("field").isNull() || rejected.path("field").isMissingNode() ? null : rejected.path("field").asText());
      }
      return json.treeToValue(body.get("table"), RoutingTable.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public RoutingTable current() {
    return current;
  }

  /**
   * Asks the leader for its applied index (a linearizable read: at least its commit index when the call
   * began), then waits until this replica applied as much. Not a read at the local replica: a node that
   * follows the group as a Ratis listener stays STARTING and refuses client requests. When this replica
   * trails, it appends a {@link MetadataCommand.SpreadCommit}: usually it holds the entries already and only
   * has not heard that they committed, which Ratis would tell it with the next heartbeat, up to 1 s later.
   */
  @Override
  public CompletableFuture<RoutingTable> latest() {
    return leaderRead.apply(Message.EMPTY).thenCompose(reply -> {
      if (!reply.isSuccess()) {
        throw new IllegalStateException("the metadata leader did not answer a read", reply.getException());
      }
      long index = reply.getMessage().getContent().asReadOnlyByteBuffer().getLong();
      CompletableFuture<Void> applied = awaitApplied(index);
      if (!applied.isDone()) {
        spreadCommit();
      }
      return applied;
    }).orTimeout(SUBMIT_TIMEOUT_SECONDS, TimeUnit.SECONDS).thenApply(applied -> current);
  }

  /** One {@link MetadataCommand.SpreadCommit} at a time: callers that trail together share it. */
  private void spreadCommit() {
    if (!spreadingCommit.compareAndSet(false, true)) {
      return;
    }
    submit(new MetadataCommand.SpreadCommit()).whenComplete((table, failure) -> {
      spreadingCommit.set(false);
      if (failure != null) {
        LOG.debug("spreading the metadata commit failed: {}", failure.toString());
      }
    });
  }

  private CompletableFuture<Void> awaitApplied(long index) {
    if (appliedIndex >= index) {
      return CompletableFuture.completedFuture(null);
    }
    CompletableFuture<Void> applied = awaitingIndex.computeIfAbsent(index, i -> new CompletableFuture<>());
    if (appliedIndex >= index) { // applied between the check and the registration
      awaitingIndex.remove(index);
      applied.complete(null);
    }
    return applied;
  }

  /** Called by the local metadata replica after it applied {@code index} (and published its table). */
  public void onAppliedIndex(long index) {
    appliedIndex = Math.max(appliedIndex, index);
    var reached = awaitingIndex.headMap(index, true);
    while (!reached.isEmpty()) {
      var first = reached.pollFirstEntry();
      if (first != null) {
        first.getValue().complete(null);
      }
    }
  }

  @Override
  public void addListener(Consumer<RoutingTable> listener) {
    listeners.add(listener);
  }

  /** Called by the local metadata replica after each applied entry or loaded snapshot. */
  public void onApplied(RoutingTable table) {
    current = table;
    for (Consumer<RoutingTable> listener : listeners) {
      try {
        listener.accept(table);
      } catch (RuntimeException e) {
        LOG.warn("routing listener failed: {}", e.toString());
      }
    }
  }
}
