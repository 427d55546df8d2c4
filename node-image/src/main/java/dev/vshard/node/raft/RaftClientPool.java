package dev.vshard.node.raft;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.protocol.exceptions.AlreadyClosedException;
import org.apache.ratis.protocol.exceptions.GroupMismatchException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One reusable {@link RaftClient} per group (a client sets up its transport connections: creating one per
 * request is slow). A client is replaced when the group's known peers change, and when Ratis has closed it: an
 * async client whose request met a server that does not host the group (a node registering itself while the
 * cluster bootstraps, or one back on an empty data dir) closes its ordered window for good, and every later
 * request on it fails.
 */
final class RaftClientPool implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RaftClientPool.class);

  private static final long RETIRED_CLIENT_GRACE_SECONDS = 60;

  private final RaftProperties properties = RaftTuning.clientProperties();
  private final Map<RaftGroupId, Pooled> clients = new ConcurrentHashMap<>();
  /** Where a group's next client sends first, after a peer answered that it does not host the group. */
  private final Map<RaftGroupId, RaftPeerId> firstTry = new ConcurrentHashMap<>();

  private record Pooled(Set<String> peerKey, RaftClient client) {
  }

  RaftClient client(RaftGroup group) {
    Set<String> key = group.getPeers().stream().map(p -> p.getId() + "@" + p.getAddress() + "/" + p.getStartupRole())
        .collect(Collectors.toSet());
    Pooled pooled = clients.compute(group.getGroupId(), (id, existing) -> {
      if (existing != null && existing.peerKey().equals(key)) {
        return existing;
      }
      if (existing != null) {
        closeQuietly(existing.client());
      }
      RaftClient.Builder builder = RaftClient.newBuilder().setProperties(properties).setRaftGroup(group);
      RaftPeerId first = firstTry.get(group.getGroupId());
      if (first != null && group.getPeer(first) != null) {
        builder.setLeaderId(first);
      }
      return new Pooled(key, builder.build());
    });
    return pooled.client();
  }

  /** Sends {@code message} to the group's leader on the pooled client, replacing the client if Ratis closed it. */
  CompletableFuture<RaftClientReply> send(RaftGroup group, Message message) {
    return call(group, client -> client.async().send(message));
  }

  /** A read-only request, answered by the group's leader (linearizable reads: after its read index). */
  CompletableFuture<RaftClientReply> sendReadOnly(RaftGroup group, Message message) {
    return call(group, client -> client.async().sendReadOnly(message));
  }

  private CompletableFuture<RaftClientReply> call(RaftGroup group, Function<RaftClient, CompletableFuture<RaftClientReply>> request) {
    RaftClient client = client(group);
    return request.apply(client).whenComplete((reply, failure) -> {
      if (failure != null && closedByRatis(failure)) {
        LOG.info("replacing the Raft client of {} that Ratis closed: {}", group.getGroupId(), failure.toString());
        if (hasCause(failure, GroupMismatchException.class)) {
          // a peer that does not host the group (a node back on an empty data dir) answers every client that
          // tries it first the same way: the next client starts at the peer after it
          firstTry.put(group.getGroupId(), peerAfter(group, client.getLeaderId()));
        }
        clients.computeIfPresent(group.getGroupId(), (id, pooled) -> pooled.client() == client ? null : pooled);
        // other callers may still be in a blocking or admin call on it: close it once those have had time to end
        CompletableFuture.delayedExecutor(RETIRED_CLIENT_GRACE_SECONDS, TimeUnit.SECONDS).execute(() -> closeQuietly(client));
      }
    });
  }

  private static boolean closedByRatis(Throwable failure) {
    return hasCause(failure, AlreadyClosedException.class) || hasCause(failure, GroupMismatchException.class);
  }

  private static boolean hasCause(Throwable failure, Class<? extends Throwable> type) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }

  private static RaftPeerId peerAfter(RaftGroup group, RaftPeerId tried) {
    List<RaftPeerId> ids = group.getPeers().stream().map(RaftPeer::getId).toList();
    return ids.get((ids.indexOf(tried) + 1) % ids.size());
  }

  @Override
  public void close() {
    clients.values().forEach(p -> closeQuietly(p.client()));
    clients.clear();
  }

  private static void closeQuietly(RaftClient client) {
    try {
      client.close();
    } catch (IOException e) {
      LOG.debug("closing a Raft client failed: {}", e.toString());
    }
  }
}
