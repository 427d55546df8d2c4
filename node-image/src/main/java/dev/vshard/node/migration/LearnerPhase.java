package dev.vshard.node.migration;

import dev.vshard.node.http.ApiException;
import dev.vshard.node.raft.MembershipChange;
import dev.vshard.node.routing.MigrationHold;
import dev.vshard.node.routing.RoutingTable;
import dev.vshard.node.routing.ShardRoute;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.util.TimeDuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Phase 1 (BaseCopy) and its rollback, run at the vShard's leader. Every call is keyed by the migration id:
 * a repeat returns the recorded result, and a call interrupted half-way is completed by the repeat because
 * every step checks the real state first (group hosted? listener in the configuration?).
 *
 * <p>Ratis stages a new listener until it has caught up, so adding it to the configuration takes as long as
 * copying the vShard. That part (the join) runs in the background: the call waits {@link #JOIN_WAIT} for it
 * (a small vShard has joined by then: {@code Added}), else answers {@code Joining} at once and the caller
 * repeats it to learn the outcome. A repeat while the join runs answers {@code Joining} without waiting; a
 * join that failed is reported by the next repeat (its error, once), and the one after starts it again.
 */
public final class LearnerPhase {
  private static final Logger LOG = LoggerFactory.getLogger(LearnerPhase.class);
  /** How long a call waits for the join it started before it answers {@code Joining}. */
  static final Duration JOIN_WAIT = Duration.ofSeconds(1);

  /**
   * The longest wait for Ratis to stage the listener (the copy) before the join is reported failed. Only a guard:
   * Ratis ends a staging itself when the new replica stops making progress.
   */
  static final TimeDuration JOIN_TIMEOUT = TimeDuration.valueOf(6, TimeUnit.HOURS);

  private final VShardGroups groups;
  private final MigrationRecords records;
  private final JoinSnapshot joinSnapshot;
  private final Executor executor;
  private final Map<Integer, Join> joins = new ConcurrentHashMap<>();
  private final Map<Integer, Failure> failures = new ConcurrentHashMap<>();

  public LearnerPhase(VShardGroups groups, MigrationRecords records, Executor executor) {
    this.groups = groups;
    this.records = records;
    this.joinSnapshot = new JoinSnapshot();
    this.executor = executor;
  }

  /** Returns {@code Added} (recorded) or {@code Joining} (the join runs on; repeat the call). */
  public LearnerResult add(int v, String target, String source, String migrationId) throws IOException, InterruptedException {
    RoutingTable table = records.table();
    ShardRoute route = Validation.route(table, v);
    Validation.node(table, target, "target");
    Validation.node(table, source, "source");
    Optional<MigrationHold> mine = records.find(route, migrationId);
    Optional<LearnerResult> recorded = mine.flatMap(records::learner).filter(LearnerResult::added);
    if (recorded.isPresent()) {
      return recorded.get();
    }
    if (Validation.heldBy(route, migrationId)) {
      Validation.sameMove(route.hold(), source, target);
    } else {
      Validation.free(route);
      Validation.movable(route, source, target);
    }
    RaftServer.Division leader = groups.leaderDivision(v);
    Join join;
    synchronized (this) { // a repeat that arrives while this call starts the join must find it
      Join running = joins.get(v);
      if (running != null && running.migrationId.equals(migrationId) && !running.done.isDone()) {
        return running.joining;
      }
      if (running != null && !running.done.isDone()) {
        // a rolled-back join whose staging Ratis has not ended: hosting the group on a target again now would let
        // that staging copy into the new replica under the old migration
        throw new ApiException(503, "PreviousJoinEnding", "vShard " + v + ": the rolled-back join of migration '"
            + running.migrationId + "' is still ending in Ratis; repeat the call", null);
      }
      Failure failed = failures.remove(v);
      if (failed != null && failed.migrationId.equals(migrationId)) {
        throw failed.reported(v, target);
      }
      join = start(v, leader, target, source, migrationId);
    }
    try {
      return join.done.get(JOIN_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException stillJoining) {
      return join.joining;
    } catch (ExecutionException e) {
      failures.remove(v); // reported here, not again by the next call
      throw new Failure(migrationId, e.getCause()).reported(v, target);
    }
  }

  /** Takes the hold, hosts the group on the target (both at once: their errors are the call's), then joins. */
  private Join start(int v, RaftServer.Division leader, String target, String source, String migrationId)
      throws IOException {
    long started = System.nanoTime();
    records.acquire(v, migrationId, source, target);
    long held = System.nanoTime();
    long logStartAtJoin = leader.getRaftLog().getStartIndex();
    long commitAtJoin = leader.getRaftLog().getLastCommittedIndex();
    groups.admin(v).hostAsListener(target, MembershipChange.voters(leader.getRaftConf()));
    long hosted = System.nanoTime();
    Join join = new Join(migrationId,
        new LearnerResult(LearnerResult.JOINING, source, target, logStartAtJoin, commitAtJoin));
    joins.put(v, join);
    executor.execute(() -> runJoin(v, join, leader, "hold " + (held - started) / 1_000_000 + ", host the group "
        + (hosted - held) / 1_000_000));
    return join;
  }

  private void runJoin(int v, Join join, RaftServer.Division leader, String timings) {
    try {
      join.done.complete(join(v, join, leader, timings));
    } catch (Throwable e) {
      LOG.warn("vShard {}: {} did not join as a learner (migration {}): {}", v, join.joining.target(), join.migrationId,
          e.toString());
      failures.put(v, new Failure(join.migrationId, e));
      join.done.completeExceptionally(e);
    } finally {
      joins.remove(v, join);
    }
  }

  private LearnerResult join(int v, Join join, RaftServer.Division leader, String timings) throws Exception {
    String target = join.joining.target();
    long started = System.nanoTime();
    RaftGroupAdmin admin = groups.admin(v);
    if (!isListener(leader, target)) {
      joinSnapshot.prepare(v, leader);
      admin.changeMembershipAt(leader, MembershipChange.addListener(leader.getRaftConf(), groups.peer(target)),
          JOIN_TIMEOUT);
      LOG.info("vShard {}: {} joined as a learner (migration {}); ms: {}, snapshot and join {}", v, target,
          join.migrationId, timings, (System.nanoTime() - started) / 1_000_000);
    }
    if (join.cancelled) {
      // rolled back while Ratis staged it: the staging still succeeded, so take the listener out again
      if (isListener(leader, target)) {
        admin.changeMembershipAt(leader, MembershipChange.removeListener(leader.getRaftConf(), target));
      }
      throw new IllegalStateException("the migration was rolled back while " + target + " joined");
    }
    LearnerResult added = join.joining.asAdded();
    ShardRoute now = Validation.route(records.table(), v);
    List<String> listeners = new ArrayList<>(now.listeners());
    if (!listeners.contains(target)) {
      listeners.add(target);
    }
    // one commit: a repeat that finds Added recorded must find the listener in the routing table too
    records.updateMembershipAndRecord(v, now.voters(), listeners, join.migrationId, LearnerResult.STEP, added);
    return added;
  }

  private static boolean isListener(RaftServer.Division leader, String node) {
    return MembershipChange.listeners(leader.getRaftConf()).stream().anyMatch(p -> p.getId().toString().equals(node));
  }

  /**
   * Removes the listener and its data, then releases the hold. Refused once a cut-over has committed the
   * membership change (from then on the only way is forward).
   */
  public LearnerResult rollback(int v, String target, String migrationId) throws IOException {
    ShardRoute route = Validation.route(records.table(), v);
    Optional<MigrationHold> mine = records.find(route, migrationId);
    if (mine.isEmpty()) {
      if (route.hold() != null) {
        throw Validation.busy(v, route.hold());
      }
      // nothing recorded for this id and nothing held: there is nothing to undo
      return new LearnerResult(LearnerResult.ROLLED_BACK, null, target, 0, 0);
    }
    MigrationHold hold = mine.get();
    Optional<LearnerResult> learner = records.learner(hold);
    if (learner.isPresent() && !learner.get().added()) {
      return learner.get();
    }
    Optional<CutOverResult> cutover = records.cutover(hold);
    if (cutover.map(CutOverResult::membershipCommitted).orElse(false) || route.voters().contains(target)) {
      throw new ApiException(409, "CutOverCommitted", "the cut-over of vShard " + v + " committed the membership change;"
          + " it can only complete now", null);
    }
    if (cutover.map(CutOverResult::running).orElse(false)) {
      throw new ApiException(409, "CutOverRunning", "a cut-over of vShard " + v + " is running; wait for it to finish"
          + " or abort", null);
    }
    RaftServer.Division leader = groups.leaderDivision(v);
    if (MembershipChange.voters(leader.getRaftConf()).stream().anyMatch(p -> p.getId().toString().equals(target))) {
      throw new ApiException(409, "CutOverCommitted", "node '" + target + "' already votes in vShard " + v, "target");
    }
    Join joining = joins.get(v);
    if (joining != null && joining.migrationId.equals(migrationId)) {
      joining.cancelled = true;
    }
    failures.remove(v);
    RaftGroupAdmin admin = groups.admin(v);
    // remove the replica (and its data) first: a division dropped from the configuration may close itself
    // and would then no longer be found to delete its directory
    admin.removeGroup(target, true);
    if (MembershipChange.listeners(leader.getRaftConf()).stream().anyMatch(p -> p.getId().toString().equals(target))) {
      admin.changeMembershipAt(leader, MembershipChange.removeListener(leader.getRaftConf(), target));
    }
    ShardRoute now = Validation.route(records.table(), v);
    if (now.listeners().contains(target)) {
      records.updateMembership(v, now.voters(), now.listeners().stream().filter(l -> !l.equals(target)).toList());
    }
    LearnerResult rolledBack = learner.map(LearnerResult::rolledBack)
        .orElse(new LearnerResult(LearnerResult.ROLLED_BACK, hold.source(), target, 0, 0));
    if (Validation.heldBy(Validation.route(records.table(), v), migrationId)) {
      records.recordAndRelease(v, migrationId, LearnerResult.STEP, rolledBack);
    } else {
      records.release(v, migrationId);
    }
    return rolledBack;
  }

  /** A join under way at this node. */
  private static final class Join {
    final String migrationId;
    final LearnerResult joining;
    final CompletableFuture<LearnerResult> done = new CompletableFuture<>();
    volatile boolean cancelled;

    Join(String migrationId, LearnerResult joining) {
      this.migrationId = migrationId;
      this.joining = joining;
    }
  }

  /** A join that failed; the call that waited for it, or else the next call, reports it. */
  private record Failure(String migrationId, Throwable cause) {
    /** The failure as the call reports it: a contract error as it is, anything else as a 5xx with the reason. */
    IOException reported(int v, String target) {
      if (cause instanceof RuntimeException runtime) {
        throw runtime; // ApiException and MetadataRejectedException keep their status and code
      }
      return new IOException("adding " + target + " as a learner of vShard " + v + " failed: " + cause.getMessage()
          + "; repeat the call to try again", cause);
    }
  }
}
