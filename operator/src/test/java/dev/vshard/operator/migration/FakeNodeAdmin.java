package dev.vshard.operator.migration;

import dev.vshard.operator.node.CutOverAnswer;
import dev.vshard.operator.node.CutOverRequest;
import dev.vshard.operator.node.LearnerAdded;
import dev.vshard.operator.node.MigrationHold;
import dev.vshard.operator.node.NodeAdmin;
import dev.vshard.operator.node.NodeApiException;
import dev.vshard.operator.node.NodeUnavailableException;
import dev.vshard.operator.node.PeerView;
import dev.vshard.operator.node.ReplicaView;
import dev.vshard.operator.node.RoutingTable;
import dev.vshard.operator.node.VShardView;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A FAKE node admin API for unit tests of the state machine: an in-memory model of one cluster's
 * vShard groups that answers like docs/contract.md says. The real nodes are exercised by the
 * integration tests; this one lets each transition be driven and observed on its own.
 */
public class FakeNodeAdmin implements NodeAdmin {

  /** One vShard group. */
  public static final class Shard {
    public List<String> voters = new ArrayList<>();
    public List<String> listeners = new ArrayList<>();
    public long commitIndex = 1000;
    public long logStartIndex = 800;
    public Map<String, Long> matchIndex = new LinkedHashMap<>();
    public String holder;
    public String cutOverState;
    public String cutOverStep;
    public long epoch = 5;
    public long targetBytes;
    public boolean snapshotInstalled;
    public boolean membershipCommitted;
    public String cutOverSource;
    public String cutOverTarget;
    /** How many more learner calls answer Joining (the node still stages the listener; nothing recorded). */
    public int joiningAnswers;
  }

  public final Map<Integer, Shard> shards = new LinkedHashMap<>();
  public final List<String> directory = new ArrayList<>();
  public final List<String> mutatingCalls = new ArrayList<>();
  public int vshardCount = 16;
  public boolean unreachable;
  public Long refuseCutOverWithEstimate;
  /** When set, listeners catch up at once and a requested cut-over completes on the next poll. */
  public boolean autopilot;

  public Shard shard(int v, String... voters) {
    Shard s = new Shard();
    s.voters.addAll(List.of(voters));
    shards.put(v, s);
    return s;
  }

  @Override
  public synchronized RoutingTable routing() {
    reachable();
    Map<String, Object> nodes = new LinkedHashMap<>();
    directory.forEach(n -> nodes.put(n, Map.of("host", "127.0.0.1")));
    List<RoutingTable.ShardRoute> routes = new ArrayList<>();
    shards.forEach((v, s) -> routes.add(new RoutingTable.ShardRoute(v, List.copyOf(s.voters), List.copyOf(s.listeners),
        s.voters.get(0), s.holder, s.epoch)));
    return new RoutingTable("demo", 7, vshardCount, 3, nodes, routes);
  }

  @Override
  public synchronized VShardView vshard(int v) {
    reachable();
    Shard s = existing(v);
    if (autopilot) {
      s.listeners.forEach(l -> s.matchIndex.put(l, s.commitIndex));
      if ("Running".equals(s.cutOverState)) {
        completeCutOver(v, s.cutOverSource, s.cutOverTarget);
        s.holder = null;
      }
    }
    List<PeerView> peers = new ArrayList<>();
    s.matchIndex.forEach((node, match) -> peers.add(new PeerView(node, s.listeners.contains(node) ? "LISTENER" : "FOLLOWER",
        match, s.commitIndex - match, 5L)));
    MigrationHold hold = s.holder == null ? null : new MigrationHold(s.holder, null, null,
        s.joiningAnswers > 0 ? null : new MigrationHold.LearnerState("Added", s.logStartIndex, s.commitIndex),
        s.cutOverState == null ? null : new MigrationHold.CutOverState(s.cutOverState, s.cutOverStep, 1200L, 500_000L,
            "Completed".equals(s.cutOverState) ? 4200L : null, "Completed".equals(s.cutOverState) ? s.epoch : null,
            "Aborted".equals(s.cutOverState) ? "hold exceeded the budget" : null));
    return new VShardView(v, s.epoch, s.voters.get(0), 2, s.commitIndex, s.logStartIndex, List.copyOf(s.voters),
        List.copyOf(s.listeners), peers, hold);
  }

  @Override
  public synchronized ReplicaView replica(String node, int v) {
    reachable();
    Shard s = existing(v);
    if (!s.listeners.contains(node) && !s.voters.contains(node)) {
      throw new NodeApiException(404, "NotHosted", "no replica", null);
    }
    return new ReplicaView(v, node, "LISTENER", "RUNNING", s.matchIndex.getOrDefault(node, 0L), s.snapshotInstalled,
        null, s.targetBytes, null);
  }

  @Override
  public synchronized LearnerAdded addLearner(int v, String target, String source, String migrationId) {
    reachable();
    mutatingCalls.add("addLearner " + v + " " + target + " " + migrationId);
    Shard s = existing(v);
    if (s.holder != null && !s.holder.equals(migrationId)) {
      throw new NodeApiException(409, "VShardBusy", "held by " + s.holder, null);
    }
    if (s.voters.contains(target)) {
      throw new NodeApiException(409, "AlreadyMember", target + " is a voter", "target");
    }
    s.holder = migrationId;
    if (s.joiningAnswers > 0) {
      s.joiningAnswers--;
      if (s.joiningAnswers == 0) { // the join finishes in the background after this answer
        s.listeners.add(target);
        s.matchIndex.put(target, 0L);
      }
      return new LearnerAdded(migrationId, v, target, source, LearnerAdded.JOINING, s.logStartIndex, s.commitIndex);
    }
    if (!s.listeners.contains(target)) {
      s.listeners.add(target);
      s.matchIndex.put(target, 0L);
    }
    return new LearnerAdded(migrationId, v, target, source, LearnerAdded.ADDED, s.logStartIndex, s.commitIndex);
  }

  @Override
  public synchronized void removeLearner(int v, String target, String migrationId) {
    reachable();
    mutatingCalls.add("removeLearner " + v + " " + target + " " + migrationId);
    Shard s = existing(v);
    if (s.membershipCommitted) {
      throw new NodeApiException(409, "CutOverCommitted", "membership change committed", null);
    }
    s.listeners.remove(target);
    s.matchIndex.remove(target);
    if (migrationId.equals(s.holder)) {
      s.holder = null;
      s.cutOverState = null;
    }
  }

  @Override
  public synchronized CutOverAnswer requestCutOver(int v, CutOverRequest request) {
    reachable();
    mutatingCalls.add("cutover " + v + " " + request.migrationId());
    Shard s = existing(v);
    if (refuseCutOverWithEstimate != null) {
      return new CutOverAnswer.Refused(refuseCutOverWithEstimate, request.writePauseBudgetMicros(), "estimate above budget");
    }
    s.cutOverSource = request.source();
    s.cutOverTarget = request.target();
    if (s.cutOverState == null || "Aborted".equals(s.cutOverState)) {
      s.cutOverState = "Running";
      s.cutOverStep = "HoldWrites";
    }
    return new CutOverAnswer.Accepted(s.cutOverState, 1200L, request.writePauseBudgetMicros());
  }

  @Override
  public synchronized String releaseHold(int v, String migrationId) {
    reachable();
    mutatingCalls.add("releaseHold " + v + " " + migrationId);
    Shard s = existing(v);
    s.holder = null;
    return "RolledBack";
  }

  @Override
  public synchronized List<Map<String, Object>> ghosts() {
    return List.of();
  }

  /** The node finishes the cut-over job: target voter, source gone, epoch + 1. */
  public synchronized void completeCutOver(int v, String source, String target) {
    Shard s = existing(v);
    s.membershipCommitted = true;
    s.voters.remove(source);
    s.listeners.remove(target);
    s.voters.add(target);
    s.epoch++;
    s.cutOverState = "Completed";
    s.cutOverStep = "Done";
  }

  private Shard existing(int v) {
    Shard s = shards.get(v);
    if (s == null) {
      throw new NodeApiException(404, "UnknownVShard", "no vShard " + v, "vshard");
    }
    return s;
  }

  private void reachable() {
    if (unreachable) {
      throw new NodeUnavailableException("connection refused (fake)", null);
    }
  }
}
