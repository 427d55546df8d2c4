package dev.vshard.node.raft;

import dev.vshard.node.NodeConfig;
import dev.vshard.node.kv.KvStateMachine;
import dev.vshard.node.routing.GroupIds;
import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.proto.RaftProtos.RaftPeerRole;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.protocol.exceptions.AlreadyExistsException;
import org.apache.ratis.protocol.exceptions.GroupMismatchException;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.statemachine.StateMachine;

/**
 * This process's single Ratis server, hosting the metadata group and one group per vShard replica it holds.
 * Gives the rest of the node: divisions by vShard, peers by node id, pooled clients, group add/remove on any
 * node, and in-process submission of requests to a local division (no transport hop for the local leader).
 */
public final class RaftNode implements AutoCloseable {
  private final NodeConfig config;
  private final GroupIds groupIds;
  private final NodeDirectory directory;
  private final RaftServer server;
  private final RaftClientPool clients = new RaftClientPool();
  private final Map<RaftGroupId, Integer> vshardByGroup = new ConcurrentHashMap<>();
  private final ExecutorService blockingCalls = Executors.newFixedThreadPool(4, r -> {
    Thread t = new Thread(r, "raft-admin");
    t.setDaemon(true);
    return t;
  });
  private final ClientId localClientId = ClientId.randomId();
  private final AtomicLong localCallId = new AtomicLong();

  /** Builds the state machine of each group this server hosts (on creation and on recovery from disk). */
  public interface StateMachines {
    StateMachine metadata();

    StateMachine vshard(int v);
  }

  public RaftNode(NodeConfig config, NodeDirectory directory, StateMachines stateMachines) throws IOException {
    this.config = config;
    this.groupIds = new GroupIds(config.clusterId());
    this.directory = directory;
    for (int v = 0; v < config.vshards(); v++) {
      vshardByGroup.put(groupIds.vshard(v), v);
    }
    File storage = config.dataDir().resolve("raft").toFile();
    this.server = RaftServer.newBuilder()
        .setServerId(RaftPeerId.valueOf(config.nodeId()))
        .setProperties(RaftTuning.serverProperties(config, storage))
        .setStateMachineRegistry(gid -> gid.equals(groupIds.metadata())
            ? stateMachines.metadata()
            : stateMachines.vshard(vshardOf(gid).orElseThrow(() -> new IllegalArgumentException("unknown group " + gid))))
        .build();
  }

  public void start() throws IOException {
    server.start();
  }

  public String nodeId() {
    return config.nodeId();
  }

  public RaftServer server() {
    return server;
  }

  public GroupIds groupIds() {
    return groupIds;
  }

  public RaftGroupId groupId(int v) {
    return groupIds.vshard(v);
  }

  public Optional<Integer> vshardOf(RaftGroupId groupId) {
    return Optional.ofNullable(vshardByGroup.get(groupId));
  }

  public Optional<RaftServer.Division> division(int v) {
    return division(groupIds.vshard(v));
  }

  public Optional<RaftServer.Division> metadataDivision() {
    return division(groupIds.metadata());
  }

  private Optional<RaftServer.Division> division(RaftGroupId groupId) {
    try {
      return Optional.of(server.getDivision(groupId));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  public Optional<KvStateMachine> kvStateMachine(int v) {
    return division(v).map(d -> d.getStateMachine()).filter(KvStateMachine.class::isInstance).map(KvStateMachine.class::cast);
  }

  /** True when this node's division of {@code v} is the leader and ready to serve (its first entry committed). */
  public boolean isLocalLeader(int v) {
    return division(v).map(d -> d.getInfo().isLeader() && d.getInfo().isLeaderReady()).orElse(false);
  }

  /** The leader as this node's division of {@code v} knows it (empty when not hosted or unknown). */
  public Optional<String> localViewOfLeader(int v) {
    return division(v).map(d -> d.getInfo().getLeaderId()).map(RaftPeerId::toString);
  }

  /** The Raft peer of a node, addressed by the node directory (host and raft port). */
  public RaftPeer peerOf(String nodeId) {
    return peer(nodeId, RaftPeerRole.FOLLOWER);
  }

  public RaftPeer listenerPeerOf(String nodeId) {
    return peer(nodeId, RaftPeerRole.LISTENER);
  }

  private RaftPeer peer(String nodeId, RaftPeerRole role) {
    String address = directory.address(nodeId).map(a -> a.raftAddress())
        .orElseThrow(() -> new IllegalArgumentException("node '" + nodeId + "' is not in the node directory"));
    return RaftPeer.newBuilder().setId(nodeId).setAddress(address).setStartupRole(role).build();
  }

  /** Peer of a node whose address is given (a node registering itself is not in every directory yet). */
  public RaftPeer peer(String nodeId, dev.vshard.node.routing.NodeAddress address, RaftPeerRole role) {
    return RaftPeer.newBuilder().setId(nodeId).setAddress(address.raftAddress()).setStartupRole(role).build();
  }

  /**
   * The metadata group's voters as this node knows them: from its own replica's configuration when it has
   * one, else the first three initial members (where bootstrap always places them).
   */
  public RaftGroup metadataGroup() {
    Optional<List<RaftPeer>> fromReplica = metadataDivision()
        .map(d -> List.copyOf(d.getRaftConf().getCurrentPeers()))
        .filter(peers -> !peers.isEmpty());
    if (fromReplica.isPresent()) {
      return RaftGroup.valueOf(groupIds.metadata(), fromReplica.get());
    }
    return group(groupIds.metadata(), metadataVotersAtBootstrap(), List.of());
  }

  /** Bootstrap places the metadata group's voters on the first (up to) three initial members. */
  public List<String> metadataVotersAtBootstrap() {
    return config.initialMembers().stream().limit(3).map(m -> m.id()).toList();
  }

  /** The group of {@code v} with the given members. */
  public RaftGroup group(int v, Collection<String> voters, Collection<String> listeners) {
    return group(groupIds.vshard(v), voters, listeners);
  }

  public RaftGroup group(RaftGroupId groupId, Collection<String> voters, Collection<String> listeners) {
    List<RaftPeer> peers = new ArrayList<>();
    voters.forEach(id -> peers.add(peerOf(id)));
    listeners.forEach(id -> peers.add(listenerPeerOf(id)));
    return RaftGroup.valueOf(groupId, peers);
  }

  /** A pooled client for {@code group}; reuse it, do not close it. */
  public RaftClient client(RaftGroup group) {
    return clients.client(group);
  }

  /** Sends {@code message} to the leader of {@code group} (async, on the pooled client). */
  public CompletableFuture<RaftClientReply> send(RaftGroup group, Message message) {
    return clients.send(group, message);
  }

  /** A read-only request to the leader of {@code group} (async, on the pooled client). */
  public CompletableFuture<RaftClientReply> sendReadOnly(RaftGroup group, Message message) {
    return clients.sendReadOnly(group, message);
  }

  /** Asks {@code nodeId}'s server to host {@code group} (full peers at bootstrap). Idempotent. */
  public CompletableFuture<Void> hostGroup(String nodeId, RaftGroup group) {
    return CompletableFuture.runAsync(() -> {
      try {
        RaftClientReply reply = client(group).getGroupManagementApi(RaftPeerId.valueOf(nodeId)).add(group);
        if (!reply.isSuccess() && !isAlreadyExists(reply)) {
          throw new IllegalStateException("groupAdd of " + group.getGroupId() + " on " + nodeId + " failed", reply.getException());
        }
      } catch (AlreadyExistsException e) {
        // hosted already: a repeated call (restarted bootstrap, retried migration step)
      } catch (IOException e) {
        throw new java.io.UncheckedIOException("groupAdd of " + group.getGroupId() + " on " + nodeId + " failed", e);
      }
    }, blockingCalls);
  }

  /** Asks {@code nodeId} to host vShard {@code v}'s group with an EMPTY peer list (a new member, added later). */
  public CompletableFuture<Void> hostAsNewMember(String nodeId, int v) {
    RaftGroup contact = RaftGroup.valueOf(groupIds.vshard(v), peerOf(nodeId));
    return hostEmpty(nodeId, contact);
  }

  /** Asks a node, reached at {@code address}, to host {@code groupId} with an EMPTY peer list. */
  public CompletableFuture<Void> hostEmptyAt(String nodeId, dev.vshard.node.routing.NodeAddress address, RaftGroupId groupId) {
    return hostEmpty(nodeId, RaftGroup.valueOf(groupId, peer(nodeId, address, RaftPeerRole.FOLLOWER)));
  }

  /** Whether {@code nodeId}'s server, reached at {@code address}, hosts {@code groupId} (asked of the server itself). */
  public boolean hosts(String nodeId, dev.vshard.node.routing.NodeAddress address, RaftGroupId groupId) throws IOException {
    try (RaftClient c = contactClient(RaftGroup.valueOf(groupId, peer(nodeId, address, RaftPeerRole.FOLLOWER)))) {
      return c.getGroupManagementApi(RaftPeerId.valueOf(nodeId)).list().getGroupIds().contains(groupId);
    }
  }

  /** A client for one call to a server that may not (yet) host the group: not pooled, closed after the call. */
  private static RaftClient contactClient(RaftGroup contact) {
    return RaftClient.newBuilder().setProperties(RaftTuning.clientProperties()).setRaftGroup(contact).build();
  }

  private CompletableFuture<Void> hostEmpty(String nodeId, RaftGroup contact) {
    return CompletableFuture.runAsync(() -> {
      try (RaftClient c = contactClient(contact)) {
        RaftClientReply reply = c.getGroupManagementApi(RaftPeerId.valueOf(nodeId)).add(RaftGroup.valueOf(contact.getGroupId()));
        if (!reply.isSuccess() && !isAlreadyExists(reply)) {
          throw new IllegalStateException("groupAdd(empty) on " + nodeId + " failed", reply.getException());
        }
      } catch (AlreadyExistsException e) {
        // already hosted: repeated call
      } catch (IOException e) {
        throw new java.io.UncheckedIOException("groupAdd(empty) on " + nodeId + " failed", e);
      }
    }, blockingCalls);
  }

  /** Asks {@code nodeId} to stop hosting vShard {@code v}, deleting its data when asked. Idempotent. */
  public CompletableFuture<Void> removeGroup(String nodeId, int v, boolean deleteData) {
    RaftGroup contact = RaftGroup.valueOf(groupIds.vshard(v), peerOf(nodeId));
    return CompletableFuture.runAsync(() -> {
      try (RaftClient c = contactClient(contact)) {
        RaftClientReply reply = c.getGroupManagementApi(RaftPeerId.valueOf(nodeId)).remove(contact.getGroupId(), deleteData, false);
        if (!reply.isSuccess() && !(reply.getException() instanceof GroupMismatchException)) {
          throw new IllegalStateException("groupRemove on " + nodeId + " failed", reply.getException());
        }
      } catch (GroupMismatchException e) {
        // not hosted (any more): repeated call
      } catch (IOException e) {
        throw new java.io.UncheckedIOException("groupRemove on " + nodeId + " failed", e);
      }
    }, blockingCalls);
  }

  private static boolean isAlreadyExists(RaftClientReply reply) {
    return reply.getException() != null && reply.getException().getClass().getSimpleName().equals("AlreadyExistsException");
  }

  /** Runs a blocking Ratis admin call off the caller's thread. */
  public <T> CompletableFuture<T> callBlocking(BlockingCall<T> call) {
    return CompletableFuture.supplyAsync(() -> {
      try {
        return call.call();
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }, blockingCalls);
  }

  /** A Ratis call that blocks and may fail with an {@link IOException}. */
  @FunctionalInterface
  public interface BlockingCall<T> {
    T call() throws IOException;
  }

  /** Submits a write to the local division of {@code groupId} in-process (the caller checked it leads). */
  public CompletableFuture<RaftClientReply> submitLocalWrite(RaftGroupId groupId, Message message) {
    return submitLocal(groupId, message, RaftClientRequest.writeRequestType());
  }

  /** Linearizable read at the local division (the leader confirms its leadership, lease permitting). */
  public CompletableFuture<RaftClientReply> submitLocalRead(RaftGroupId groupId, Message message) {
    return submitLocal(groupId, message, RaftClientRequest.readRequestType());
  }

  private CompletableFuture<RaftClientReply> submitLocal(RaftGroupId groupId, Message message, RaftClientRequest.Type type) {
    RaftClientRequest request = RaftClientRequest.newBuilder()
        .setClientId(localClientId).setServerId(server.getId()).setGroupId(groupId)
        .setCallId(localCallId.incrementAndGet()).setMessage(message).setType(type).build();
    try {
      return server.submitClientRequestAsync(request);
    } catch (IOException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  @Override
  public void close() throws IOException {
    clients.close();
    blockingCalls.shutdownNow();
    server.close();
  }
}
