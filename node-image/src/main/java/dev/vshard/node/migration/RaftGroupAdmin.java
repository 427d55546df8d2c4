package dev.vshard.node.migration;

import dev.vshard.node.raft.MembershipChange;
import dev.vshard.node.raft.RaftTuning;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.proto.RaftProtos.RaftPeerRole;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.GroupManagementRequest;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.protocol.SetConfigurationRequest;
import org.apache.ratis.protocol.TransferLeadershipRequest;
import org.apache.ratis.protocol.exceptions.AlreadyExistsException;
import org.apache.ratis.protocol.exceptions.GroupMismatchException;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.util.TimeDuration;

/**
 * The Ratis administration calls a migration makes on one vShard group: group management on a single server
 * (host the group as a listener, remove it and its data; this node's own server in process), one compare-and-set
 * membership change (in process at the leading division), and leadership transfer. Each call is safe to repeat.
 */
public final class RaftGroupAdmin {
  private static final TimeDuration REQUEST_TIMEOUT = TimeDuration.valueOf(30, TimeUnit.SECONDS);
  private static final ClientId IN_PROCESS_CLIENT = ClientId.randomId();
  private static final AtomicLong IN_PROCESS_CALLS = new AtomicLong();

  private final RaftGroupId groupId;
  private final Function<String, RaftPeer> peers;

  /** {@code peers} resolves a node id to its Raft peer (id and raft address) from the node directory. */
  public RaftGroupAdmin(RaftGroupId groupId, Function<String, RaftPeer> peers) {
    this.groupId = groupId;
    this.peers = peers;
  }

  /**
   * Makes {@code node}'s server host the group as a LISTENER of {@code voters}; the leader then adds it to the
   * configuration. Idempotent. The startup role matters: a division hosted with no peers starts in Ratis's
   * FOLLOWER role and keeps it as a listener, so once RUNNING it would stand for election when heartbeats stop,
   * find itself not a voter and shut down; a LISTENER never stands (its division is RUNNING at once, too).
   */
  public void hostAsListener(String node, List<RaftPeer> voters) throws IOException {
    RaftPeer listener = RaftPeer.newBuilder(peers.apply(node)).setStartupRole(RaftPeerRole.LISTENER).build();
    List<RaftPeer> members = new ArrayList<>(voters);
    members.add(listener);
    try (RaftClient client = client(List.of(listener))) {
      check(client.getGroupManagementApi(listener.getId()).add(RaftGroup.valueOf(groupId, members)),
          "host group on " + node);
    } catch (AlreadyExistsException e) {
      // a repeated call: the server hosts the group already
    }
  }

  /** Removes the group from {@code node}'s server and (when asked) deletes its data. Idempotent. */
  public void removeGroup(String node, boolean deleteData) throws IOException {
    RaftPeer peer = peers.apply(node);
    try (RaftClient client = client(List.of(peer))) {
      check(client.getGroupManagementApi(peer.getId()).remove(groupId, deleteData, false), "remove group on " + node);
    } catch (GroupMismatchException e) {
      // the server does not host the group (any more)
    }
  }

  /**
   * One membership change submitted to {@code leader}, this process's division that leads the group, applied only
   * if the group's configuration is still exactly the one {@code change} starts from (COMPARE_AND_SET), so a stale
   * or repeated request can never undo a newer change. No client: no connection to set up and no redirect while the cut-over holds
   * writes, and nothing occupies the transport while Ratis stages a new listener. Fails (and changes nothing)
   * when the division no longer leads.
   */
  public void changeMembershipAt(RaftServer.Division leader, MembershipChange change) throws IOException {
    changeMembershipAt(leader, change, REQUEST_TIMEOUT);
  }

  /**
   * As {@link #changeMembershipAt(RaftServer.Division, MembershipChange)}, waiting up to {@code timeout}: adding
   * a listener returns only once Ratis has brought it up to date, that is after the whole copy.
   */
  public void changeMembershipAt(RaftServer.Division leader, MembershipChange change, TimeDuration timeout)
      throws IOException {
    SetConfigurationRequest request = new SetConfigurationRequest(IN_PROCESS_CLIENT, leader.getId(), groupId,
        IN_PROCESS_CALLS.incrementAndGet(), change.arguments());
    awaitInProcess(leader.getRaftServer().setConfigurationAsync(request), timeout, "membership change " + change);
  }

  /**
   * The cut-over's membership change at {@code leader}, this process's leading division: the listener
   * {@code target} becomes a voter and {@code source} leaves. In two compare-and-set changes, because Ratis
   * handles no configuration that names a peer twice: one change would pass through a joint configuration with
   * the target as an old listener and a new voter, and a leader elected while that one is uncommitted fails to
   * start ("Found duplicated element"), so the group re-elects forever. First the listener leaves (its replica
   * keeps its log and data), then it joins as a new voter in the change that removes the source: the leader
   * stages it, finds its log up to date ({@code NotifyingLogAppender} asks before sending a snapshot) and
   * commits. A target already outside the configuration (a resumed cut-over) skips the first change; a
   * repeat once both are done changes nothing. Returns the changes made, in order.
   */
  public List<MembershipChange> promoteAt(RaftServer.Division leader, String target, String source)
      throws IOException {
    List<MembershipChange> made = new ArrayList<>();
    if (MembershipChange.promoted(leader.getRaftConf(), target, source)) {
      return made;
    }
    if (MembershipChange.isListener(leader.getRaftConf(), target)) {
      made.add(MembershipChange.removeListener(leader.getRaftConf(), target));
      changeMembershipAt(leader, made.get(0));
    }
    MembershipChange promote = MembershipChange.promote(leader.getRaftConf(), peers, target, source);
    changeMembershipAt(leader, promote);
    made.add(promote);
    return made;
  }

  /** As {@link #removeGroup}, on {@code server}, this process's own: the call does not go through the transport. */
  public void removeGroupAt(RaftServer server, boolean deleteData) throws IOException {
    GroupManagementRequest request = GroupManagementRequest.newRemove(IN_PROCESS_CLIENT, server.getId(),
        IN_PROCESS_CALLS.incrementAndGet(), groupId, deleteData, false);
    try {
      awaitInProcess(server.groupManagementAsync(request), REQUEST_TIMEOUT, "remove group here");
    } catch (GroupMismatchException e) {
      // the server does not host the group (any more)
    }
  }

  /** As {@link #transferLeadership}, asked of {@code leader}, this process's division that leads the group. */
  public void transferLeadershipAt(RaftServer.Division leader, String node, long timeoutMillis) throws IOException {
    TransferLeadershipRequest request = new TransferLeadershipRequest(IN_PROCESS_CLIENT, leader.getId(), groupId,
        IN_PROCESS_CALLS.incrementAndGet(), node == null ? null : RaftPeerId.valueOf(node), timeoutMillis);
    awaitInProcess(leader.getRaftServer().transferLeadershipAsync(request), REQUEST_TIMEOUT,
        "transfer leadership to " + node);
  }

  private static void awaitInProcess(CompletableFuture<RaftClientReply> reply, TimeDuration timeout, String what)
      throws IOException {
    try {
      check(reply.get(timeout.getDuration(), timeout.getUnit()), what);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof IOException io ? io
          : new IOException(what + " failed: " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new IOException(what + " not done within " + timeout, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted: " + what);
    }
  }

  /**
   * Asks the current leader (found through {@code voters}) to hand leadership to {@code node}; with
   * {@code node == null} the leader steps down and the group elects anew.
   */
  public void transferLeadership(List<String> voters, String node, long timeoutMillis) throws IOException {
    try (RaftClient client = client(resolve(voters))) {
      RaftPeerId newLeader = node == null ? null : RaftPeerId.valueOf(node);
      check(client.admin().transferLeadership(newLeader, timeoutMillis), "transfer leadership to " + node);
    }
  }

  private List<RaftPeer> resolve(List<String> nodes) {
    return nodes.stream().map(peers).toList();
  }

  private RaftClient client(List<RaftPeer> group) {
    RaftProperties props = RaftTuning.clientProperties();
    RaftClientConfigKeys.Rpc.setRequestTimeout(props, REQUEST_TIMEOUT);
    return RaftClient.newBuilder()
        .setProperties(props)
        .setRaftGroup(RaftGroup.valueOf(groupId, group))
        // bounded: an unreachable peer must fail the step (the caller records it), not hang the job
        .setRetryPolicy(RetryPolicies.retryUpToMaximumCountWithFixedSleep(10, TimeDuration.valueOf(200, TimeUnit.MILLISECONDS)))
        .build();
  }

  private static void check(RaftClientReply reply, String what) throws IOException {
    if (!reply.isSuccess()) {
      IOException cause = reply.getException();
      if (cause instanceof AlreadyExistsException || cause instanceof GroupMismatchException) {
        throw cause;
      }
      throw new IOException(what + " failed: " + (cause == null ? "unsuccessful reply" : cause.getMessage()), cause);
    }
  }
}
