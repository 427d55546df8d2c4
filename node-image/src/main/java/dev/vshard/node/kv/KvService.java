package dev.vshard.node.kv;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vshard.node.raft.RaftNode;
import dev.vshard.node.routing.KeyPlacement;
import dev.vshard.node.routing.MetadataService;
import dev.vshard.node.routing.NodeAddress;
import dev.vshard.node.routing.RoutingTable;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.exceptions.LeaderNotReadyException;
import org.apache.ratis.protocol.exceptions.LeaderSteppingDownException;
import org.apache.ratis.protocol.exceptions.TransferLeadershipException;
import org.apache.ratis.protocol.exceptions.NotLeaderException;
import org.eclipse.jetty.client.HttpClient;

/**
 * The data path. For a key: a ghost stub on this node wins (forward to the new owner); else, if this node
 * leads the key's vShard group, the write passes the {@link WriteGate} and is submitted in-process to the
 * local division, grouped with concurrent writes of the same vShard under load ({@link WriteBatcher}; nothing
 * blocks per request); reads are linearizable reads at the leader; else the request is forwarded over HTTP
 * to the leader (Jetty's client, {@link DataForwarder}). A leader change mid-request re-routes the request
 * after a short delay, a bounded number of times, instead of failing it.
 */
public final class KvService {
  private static final int MAX_KEY_BYTES = 1024;
  private static final int REROUTE_ATTEMPTS = 150; // ~15 s at 100 ms: outlasts an election on a starved machine

  private final String selfId;
  private final RaftNode raft;
  private final MetadataService metadata;
  private final DataForwarder forwarder;
  private final ObjectMapper json;
  private final Executor rerouteDelay;
  private final MeterRegistry meters;
  private final WriteBatcher batcher;
  private volatile WriteGate writeGate = WriteGate.ALWAYS_OPEN;
  private volatile GhostResolver ghosts = GhostResolver.NONE;

  /**
   * @param http            a started client for the forwards, owned by the caller
   * @param scheduler       runs delayed re-routes (never the common pool: on 2 cores it starts a thread per task)
   * @param writeBatchLimit most writes per log entry (group commit); 1 gives each write its own entry
   */
  public KvService(String selfId, RaftNode raft, MetadataService metadata, HttpClient http, ObjectMapper json,
                   ScheduledExecutorService scheduler, MeterRegistry meters, int writeBatchLimit) {
    this.selfId = selfId;
    this.rerouteDelay = CompletableFuture.delayedExecutor(100, TimeUnit.MILLISECONDS, scheduler);
    this.meters = meters;
    this.raft = raft;
    this.metadata = metadata;
    this.forwarder = new DataForwarder(http, selfId);
    this.batcher = new WriteBatcher((v, entry) -> raft.submitLocalWrite(raft.groupId(v), entry), writeBatchLimit, meters);
    this.json = json;
  }

  public void useWriteGate(WriteGate gate) {
    this.writeGate = gate;
  }

  public void useGhostResolver(GhostResolver resolver) {
    this.ghosts = resolver;
  }

  public CompletableFuture<DataReply> handle(DataRequest request) {
    if (request.key().getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_KEY_BYTES) {
      return CompletableFuture.completedFuture(error(400, "InvalidRequest",
          "key is longer than " + MAX_KEY_BYTES + " bytes (UTF-8)", "key"));
    }
    return route(request, 0);
  }

  private CompletableFuture<DataReply> route(DataRequest request, int attempt) {
    RoutingTable table = metadata.current();
    if (!table.initialized()) {
      return CompletableFuture.completedFuture(error(503, "NotReady", "this node has no routing table yet", null));
    }
    int v = KeyPlacement.vshardOf(request.key(), table.vshards());
    if (!request.viaGhost()) {
      Optional<String> owner = ghosts.newOwner(v).filter(o -> !o.equals(selfId));
      if (owner.isPresent()) {
        Optional<NodeAddress> address = table.node(owner.get());
        if (address.isPresent()) {
          ghosts.recordForward(v);
          return forwarder.forward(address.get(), request, true);
        }
      }
    }
    if (raft.division(v).map(d -> d.getInfo().isLeader()).orElse(false)) {
      return request.op() == KvCommand.Op.GET ? readLocally(request, v, attempt) : writeLocally(request, v, attempt);
    }
    String leader = leaderOf(v, table);
    if (leader == null || leader.equals(selfId) || request.hops() >= DataRequest.MAX_HOPS) {
      return retryLater(request, attempt, "no leader known for vShard " + v);
    }
    Optional<NodeAddress> address = table.node(leader);
    if (address.isEmpty()) {
      return retryLater(request, attempt, "leader '" + leader + "' of vShard " + v + " is not in the node directory");
    }
    return forwarder.forward(address.get(), request, false);
  }

  private String leaderOf(int v, RoutingTable table) {
    Optional<String> local = raft.localViewOfLeader(v);
    if (local.isPresent()) {
      return local.get();
    }
    return table.shard(v).orElseThrow().leaderOrAVoter();
  }

  private CompletableFuture<DataReply> writeLocally(DataRequest request, int v, int attempt) {
    // the gate may hold the write (cut-over); leadership can move meanwhile, so route again once it opens
    return writeGate.awaitOpen(v).thenCompose(open -> {
      if (!raft.division(v).map(d -> d.getInfo().isLeader()).orElse(false)) {
        return route(request, attempt);
      }
      KvCommand command = request.op() == KvCommand.Op.PUT ? KvCommand.put(request.key(), request.value()) : KvCommand.delete(request.key());
      return batcher.submit(v, command)
          .thenCompose(outcome -> writeReply(request, v, outcome, attempt))
          .exceptionallyCompose(failure -> replicaGone(request, failure, attempt));
    });
  }

  private CompletableFuture<DataReply> writeReply(DataRequest request, int v, WriteBatcher.Outcome outcome, int attempt) {
    RaftClientReply reply = outcome.reply();
    if (!reply.isSuccess()) {
      return failedReply(request, reply, attempt);
    }
    ObjectNode body = json.createObjectNode().put("key", request.key()).put("vshard", v).put("epoch", metadata.current().epoch());
    if (request.op() == KvCommand.Op.PUT) {
      body.put("index", reply.getLogIndex());
    } else {
      body.put("deleted", outcome.deleted());
    }
    return CompletableFuture.completedFuture(jsonReply(200, body, v));
  }

  private CompletableFuture<DataReply> readLocally(DataRequest request, int v, int attempt) {
    return raft.submitLocalRead(raft.groupId(v), KvCommand.get(request.key()).toMessage()).thenCompose(reply -> {
      if (!reply.isSuccess()) {
        return failedReply(request, reply, attempt);
      }
      Optional<byte[]> value = KvStateMachine.decodeGetReply(reply.getMessage());
      if (value.isEmpty()) {
        DataReply notFound = error(404, "NotFound", "key '" + request.key() + "' does not exist", "key");
        return CompletableFuture.completedFuture(withShardHeaders(notFound, v));
      }
      return CompletableFuture.completedFuture(new DataReply(200, "application/octet-stream", value.get(),
          Map.of(DataRequest.EPOCH_HEADER, String.valueOf(metadata.current().epoch()), DataRequest.VSHARD_HEADER, String.valueOf(v))));
    }).exceptionallyCompose(failure -> replicaGone(request, failure, attempt));
  }

  /**
   * Not the leader after all (an election or a transfer moved it, or it is stepping down with requests
   * pending): route again; anything else is an error answer. Re-submitting a PUT/DELETE is safe here: the
   * caller still waits for this answer, so no later write of its own can race the retry.
   */
  private CompletableFuture<DataReply> failedReply(DataRequest request, RaftClientReply reply, int attempt) {
    if (reply.getNotLeaderException() != null || reply.getException() instanceof LeaderNotReadyException
        || reply.getException() instanceof NotLeaderException
        || reply.getException() instanceof LeaderSteppingDownException
        || reply.getException() instanceof TransferLeadershipException) {
      return retryLater(request, attempt, "leadership changed");
    }
    String message = reply.getException() == null ? "request failed" : reply.getException().getMessage();
    return CompletableFuture.completedFuture(error(503, "ReplicationFailed", message, null));
  }

  /**
   * The local division refused before the request entered Raft: it is closing, was removed (the vShard moved
   * away) or lost leadership. Route again, which forwards to wherever the vShard is now.
   */
  private CompletableFuture<DataReply> replicaGone(DataRequest request, Throwable failure, int attempt) {
    Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    if (cause instanceof org.apache.ratis.protocol.exceptions.RaftException || cause instanceof java.io.IOException) {
      return retryLater(request, attempt, "leadership changed: " + cause.getClass().getSimpleName());
    }
    return CompletableFuture.failedFuture(cause);
  }

  private CompletableFuture<DataReply> retryLater(DataRequest request, int attempt, String why) {
    if (attempt >= REROUTE_ATTEMPTS) {
      return CompletableFuture.completedFuture(error(503, "NoLeader", why + " (gave up after " + attempt + " attempts)", null));
    }
    meters.counter("vshard_kv_reroutes", "reason", why.startsWith("leadership") ? "leadership" : "no-leader").increment();
    return CompletableFuture.supplyAsync(() -> null, rerouteDelay).thenCompose(x -> route(request, attempt + 1));
  }

  private DataReply withShardHeaders(DataReply reply, int v) {
    return new DataReply(reply.status(), reply.contentType(), reply.body(),
        Map.of(DataRequest.EPOCH_HEADER, String.valueOf(metadata.current().epoch()), DataRequest.VSHARD_HEADER, String.valueOf(v)));
  }

  private DataReply jsonReply(int status, ObjectNode body, int v) {
    try {
      return withShardHeaders(new DataReply(status, "application/json", json.writeValueAsBytes(body), Map.of()), v);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private DataReply error(int status, String code, String message, String field) {
    ObjectNode body = json.createObjectNode().put("code", code).put("message", message);
    if (field != null) {
      body.put("field", field);
    }
    try {
      return new DataReply(status, "application/json", json.writeValueAsBytes(body),
          Map.of(DataRequest.EPOCH_HEADER, String.valueOf(metadata.current().epoch())));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
