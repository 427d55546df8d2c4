package dev.vshard.node.migration;

import dev.vshard.node.raft.MembershipChange;
import dev.vshard.node.raft.transport.FollowerProgress;
import dev.vshard.node.routing.RoutingTable;
import dev.vshard.node.routing.ShardRoute;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.StringJoiner;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.ratis.server.RaftServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The asynchronous cut-over of one vShard, started at the group's leader, in DESIGN.md's order. Progress is
 * recorded after the steps {@link CutOverStep#recordedAfter} names; each step first checks the real state, so
 * a resumed job (restart, repeated call, DELETE /migration) skips what is done. Before the membership change
 * begins (the target leaves the listeners) a failure or an exhausted budget aborts (writes released, group
 * unchanged); from then on the job only goes forward.
 */
final class CutOverJob implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(CutOverJob.class);
  private static final Duration DRAIN_POLL = Duration.ofMillis(2);
  private static final Duration RUNNING_POLL = Duration.ofMillis(50);
  private static final Duration RUNNING_TIMEOUT = Duration.ofSeconds(15);
  private static final long LEADER_CHANGE_TIMEOUT_MS = 15_000;
  private static final int BOUNCE_ATTEMPTS = 3;

  private final int v;
  private final String migrationId;
  private final CutOverServices services;
  private CutOverResult state;
  private long holdStartNanos;

  CutOverJob(int v, String migrationId, CutOverResult start, CutOverServices services) {
    this.v = v;
    this.migrationId = migrationId;
    this.state = start;
    this.services = services;
  }

  CutOverResult state() {
    return state;
  }

  @Override
  public void run() {
    StringJoiner timings = new StringJoiner(", ");
    try {
      while (state.step() != CutOverStep.Done) {
        CutOverStep step = state.step();
        long started = System.nanoTime();
        runStep(step);
        long ran = System.nanoTime();
        state = state.at(CutOverStep.values()[step.ordinal() + 1]);
        if (step.recordedAfter()) {
          services.records().record(v, migrationId, CutOverResult.STEP, state);
        }
        String recorded = step.recordedAfter() ? "+" + millis(System.nanoTime() - ran) : "";
        timings.add(step + " " + millis(ran - started) + recorded);
      }
      state = state.finished(CutOverResult.COMPLETED);
      services.records().recordAndRelease(v, migrationId, CutOverResult.STEP, state);
      LOG.info("cut-over of vShard {} ({} -> {}) completed at epoch {}, write pause {} us; ms per step (run+record): {}",
          v, state.source(), state.target(), state.epoch(), state.pauseMicros(), timings);
    } catch (BudgetExceeded e) {
      abort(e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stop("interrupted at step " + state.step());
    } catch (Exception e) {
      stop("step " + state.step() + " failed: " + e.getMessage());
      LOG.warn("cut-over of vShard {} stopped at step {}", v, state.step(), e);
    }
  }

  private void runStep(CutOverStep step) throws Exception {
    switch (step) {
      case HoldWrites -> holdWrites();
      case DrainTarget -> drainTarget();
      case ChangeMembership -> changeMembership();
      case LeaderBounce -> leaderBounce();
      case TransferLeadership -> transferLeadership();
      case CommitRouting -> commitRouting();
      case Release -> release();
      case InstallGhost -> installGhost();
      case Done -> { }
    }
  }

  private void holdWrites() {
    holdStartNanos = System.nanoTime();
    services.writes().hold(v);
  }

  private void drainTarget() throws Exception {
    if (promotionBegun()) {
      return; // the target left the listeners: it is caught up as a staged voter in the membership change
    }
    RaftServer.Division leader = services.groups().leaderDivision(v);
    AtomicReference<Exception> error = new AtomicReference<>();
    // a leader elected for this cut-over (the source led) refuses a membership change until it committed an
    // entry of its term: wait for that too, inside the budget
    boolean drained = services.poller().await(() -> {
      long last = leader.getRaftLog().getLastEntryTermIndex().getIndex();
      OptionalLong match = FollowerProgress.matchIndex(leader, state.target());
      return leader.getInfo().isLeaderReady() && match.isPresent() && match.getAsLong() >= last;
    }, DRAIN_POLL, remainingBudget(), error);
    if (!drained) {
      throw new BudgetExceeded("the target did not reach the leader's last index" + (leader.getInfo().isLeaderReady()
          ? "" : " (the leader is not ready: no entry of its term committed)") + " within the write-pause budget of "
          + state.budgetMicros() + " us");
    }
  }

  private void changeMembership() throws Exception {
    if (membershipChanged()) {
      return;
    }
    if (!promotionBegun() && remainingBudget().isZero()) {
      throw new BudgetExceeded("the write-pause budget of " + state.budgetMicros()
          + " us ran out before the membership change");
    }
    RaftServer.Division leader = services.groups().leaderDivision(v);
    long started = System.nanoTime();
    List<MembershipChange> changes = services.groups().admin(v).promoteAt(leader, state.target(), state.source());
    long micros = (System.nanoTime() - started) / 1_000;
    if (!changes.isEmpty()) {
      services.estimator().observedCommit(micros / (2L * changes.size())); // each: joint and final configuration
    }
    LOG.info("vShard {}: membership changed in {} us ({})", v, micros, changes);
  }

  /**
   * The Ratis listener workaround: a promoted listener stays STARTING until a leader change rebuilds its
   * follower state. Bounce leadership to another old voter (or step down when there is none) until the
   * target itself reports RUNNING.
   */
  private void leaderBounce() throws Exception {
    for (int attempt = 1; attempt <= BOUNCE_ATTEMPTS; attempt++) {
      if (targetRunning(Duration.ZERO)) {
        return;
      }
      List<String> voters = currentVoters();
      String leader = services.groups().division(v).map(d -> String.valueOf(d.getInfo().getLeaderId())).orElse(null);
      String next = voters.stream().filter(n -> !n.equals(state.target()) && !n.equals(leader)).findFirst().orElse(null);
      changeLeader(voters, next);
      LOG.info("vShard {}: leadership bounced from {} to {} (attempt {})", v, leader, next, attempt);
      if (targetRunning(RUNNING_TIMEOUT)) {
        return;
      }
    }
    throw new IllegalStateException("node '" + state.target() + "' did not report its division RUNNING after "
        + BOUNCE_ATTEMPTS + " leader changes");
  }

  private void transferLeadership() throws Exception {
    if (!state.transferLeadership()) {
      return;
    }
    String leader = services.groups().division(v).map(d -> String.valueOf(d.getInfo().getLeaderId())).orElse(null);
    if (state.target().equals(leader)) {
      return;
    }
    changeLeader(currentVoters(), state.target());
  }

  /**
   * Moves the leadership to {@code next} ({@code null}: the leader steps down), timed for the pause estimate.
   * Asked of this node's division in process while it leads (no client to set up inside the pause), else
   * through a client that finds the leader (a bounce moved it away from this node).
   */
  private void changeLeader(List<String> voters, String next) throws Exception {
    long started = System.nanoTime();
    RaftGroupAdmin admin = services.groups().admin(v);
    Optional<RaftServer.Division> local = services.groups().division(v).filter(d -> d.getInfo().isLeader());
    if (local.isPresent()) {
      admin.transferLeadershipAt(local.get(), next, LEADER_CHANGE_TIMEOUT_MS);
    } else {
      admin.transferLeadership(voters, next, LEADER_CHANGE_TIMEOUT_MS);
    }
    services.estimator().observedLeaderChange((System.nanoTime() - started) / 1_000);
  }

  private void commitRouting() {
    List<String> voters = currentVoters();
    List<String> listeners = services.groups().division(v)
        .map(d -> MembershipChange.ids(MembershipChange.listeners(d.getRaftConf())))
        .orElse(List.of());
    ShardRoute route = Validation.route(services.records().table(), v);
    if (!route.voters().stream().sorted().toList().equals(voters)
        || !route.listeners().stream().sorted().toList().equals(listeners)) {
      RoutingTable table = services.records().updateMembership(v, voters, listeners);
      route = Validation.route(table, v);
    }
    state = state.withEpoch(route.epoch());
  }

  private void release() {
    if (!services.writes().isHeld(v)) {
      return; // a resumed job: the hold ended with the process (or at the stop) that had it
    }
    OptionalLong pause = services.writes().release(v);
    state = state.withPause(pause.isPresent() ? pause.getAsLong() : 0L);
  }

  /** The source then removes its replica and data by itself ({@link ReplicaRetirement}); the job does not wait. */
  private void installGhost() throws Exception {
    services.peers().installGhost(state.source(), v, state.target(), state.epoch(), migrationId);
  }

  private boolean membershipChanged() {
    return MembershipChange.promoted(ownDivision().getRaftConf(), state.target(), state.source());
  }

  private boolean promotionBegun() {
    return MembershipChange.promotionBegun(ownDivision().getRaftConf(), state.target());
  }

  /** Voters of the group as this node's division knows them (it was the leader when the job started). */
  private List<String> currentVoters() {
    return MembershipChange.ids(MembershipChange.voters(ownDivision().getRaftConf()));
  }

  private RaftServer.Division ownDivision() {
    return services.groups().division(v)
        .orElseThrow(() -> new IllegalStateException("this node no longer hosts vShard " + v));
  }

  private boolean targetRunning(Duration within) throws InterruptedException {
    AtomicReference<Exception> error = new AtomicReference<>();
    if (within.isZero()) {
      try {
        return services.peers().reportsRunning(state.target(), v);
      } catch (java.io.IOException e) {
        return false;
      }
    }
    return services.poller().await(() -> services.peers().reportsRunning(state.target(), v), RUNNING_POLL, within, error);
  }

  private static long millis(long nanos) {
    return nanos / 1_000_000;
  }

  private Duration remainingBudget() {
    long usedMicros = (System.nanoTime() - holdStartNanos) / 1_000;
    return Duration.ofNanos(Math.max(0, state.budgetMicros() - usedMicros) * 1_000);
  }

  /** Before the membership change: undo the hold and record Aborted; the operator may ask again. */
  private void abort(String reason) {
    OptionalLong held = services.writes().release(v);
    state = state.withPause(held.isPresent() ? held.getAsLong() : 0L).withMessage(reason).finished(CutOverResult.ABORTED);
    LOG.info("cut-over of vShard {} aborted: {}", v, reason);
    services.records().record(v, migrationId, CutOverResult.STEP, state);
  }

  /**
   * A step failed: before the membership change began that is an abort; once it began, the writes are let go
   * (the group serves them) and the record stays Running at the failed step, to be resumed.
   */
  private void stop(String reason) {
    if (!state.membershipCommitted() && !promotionBegunQuietly()) {
      abort(reason);
      return;
    }
    if (services.writes().isHeld(v)) {
      OptionalLong held = services.writes().release(v);
      state = state.withPause(held.isPresent() ? held.getAsLong() : 0L);
    }
    state = state.withMessage(reason + "; resumes on a repeated call, DELETE /migration or restart");
    services.records().record(v, migrationId, CutOverResult.STEP, state);
  }

  private boolean promotionBegunQuietly() {
    try {
      return promotionBegun();
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** The write-pause budget ran out before the membership change. */
  private static final class BudgetExceeded extends Exception {
    BudgetExceeded(String message) {
      super(message);
    }
  }
}
