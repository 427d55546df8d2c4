package dev.vshard.node.migration;

import dev.vshard.node.http.ApiException;
import dev.vshard.node.routing.MigrationHold;
import dev.vshard.node.routing.ShardRoute;
import java.io.IOException;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.ratis.server.RaftServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accepts cut-overs (202, or 409 with the estimate when it exceeds the budget), runs at most one job per
 * vShard on this node, and resumes jobs whose membership change is committed but which did not finish.
 */
public final class CutOverCoordinator {
  private static final Logger LOG = LoggerFactory.getLogger(CutOverCoordinator.class);
  private static final long MOVE_AWAY_TIMEOUT_MS = 15_000;
  private static final Duration IN_FLIGHT_TIMEOUT = Duration.ofSeconds(5);

  /** Only the estimate depends on it: an answer slower than this counts as "not RUNNING". */
  private static final Duration RUNNING_CHECK_TIMEOUT = Duration.ofSeconds(1);

  private final CutOverServices services;
  private final ExecutorService jobs;
  private final Map<Integer, Running> running = new ConcurrentHashMap<>();
  /** Migrations whose job ended here in a final state; this node's routing copy may still show them Running. */
  private final Map<Integer, String> finishedHere = new ConcurrentHashMap<>();

  CutOverCoordinator(CutOverServices services, ExecutorService jobs) {
    this.services = services;
    this.jobs = jobs;
  }

  /** Handles a POST at this node, which must lead the vShard (else {@link NotLeaderHereException}). */
  public CutOverResult accept(int v, CutOverRequest request) throws IOException {
    ShardRoute route = Validation.route(services.records().table(), v);
    MigrationHold hold = requireHold(route, request.migrationId());
    Validation.sameMove(hold, request.source(), request.target());
    Optional<CutOverResult> recorded = services.records().cutover(hold);
    if (recorded.isPresent() && !CutOverResult.ABORTED.equals(recorded.get().state())) {
      resumeIfOrphaned(v, hold.migrationId(), recorded.get());
      return recorded.get();
    }
    if (services.records().learner(hold).filter(LearnerResult::added).isEmpty()) {
      throw new ApiException(409, "LearnerNotAdded", "migration '" + hold.migrationId() + "' has not added '"
          + hold.target() + "' as a learner of vShard " + v + "; PUT learners first", "migrationId");
    }
    RaftServer.Division leader = services.groups().leaderDivision(v);
    GroupView view = LeaderViewReader.read(v, leader);
    if (!view.isListener(request.target())) {
      throw new ApiException(409, "LearnerNotAdded", "node '" + request.target() + "' is not a listener of vShard " + v
          + " (listeners " + view.listeners() + ")", "target");
    }
    // no appender gauge yet means the leader knows nothing of the target's progress: assume all is missing
    long lag = view.peer(request.target()).map(PeerReplication::lag).orElse(view.commitIndex());
    int leaderChanges = (targetRunning(v, request.target()) ? 0 : 1) + (request.transferLeadership() ? 1 : 0);
    long estimate = services.estimator().estimateMicros(lag, leaderChanges);
    if (estimate > request.writePauseBudgetMicros()) {
      Map<String, Object> extra = new LinkedHashMap<>();
      extra.put("estimateMicros", estimate);
      extra.put("budgetMicros", request.writePauseBudgetMicros());
      throw new ApiException(409, "PauseBudgetExceeded", "the estimated write pause of " + estimate
          + " us (target lag " + lag + " entries) exceeds the budget of " + request.writePauseBudgetMicros() + " us",
          "writePauseBudgetMicros", extra);
    }
    if (services.self().equals(request.source())) {
      throw new NotLeaderHereException(v, moveLeadershipAway(v, view, request.source()));
    }
    CutOverResult start = new CutOverResult(CutOverResult.RUNNING, CutOverStep.HoldWrites, request.source(),
        request.target(), request.transferLeadership(), estimate, request.writePauseBudgetMicros(), null, null, null,
        services.self());
    synchronized (this) { // the periodic resume check must not see the record without its job
      services.records().record(v, request.migrationId(), CutOverResult.STEP, start);
      launch(v, request.migrationId(), start);
    }
    return start;
  }

  /**
   * Finishes what a hold left behind ({@code DELETE /migration}) once the membership change is committed:
   * waits for this node's job, or resumes the job here. Returns the final record.
   */
  public CutOverResult complete(int v, String migrationId, CutOverResult recorded) throws Exception {
    Running mine = running.get(v);
    if (mine == null) {
      mine = launch(v, migrationId, recorded.withRunner(services.self()).withMessage(null));
    }
    mine.future.get();
    return mine.job.state();
  }

  /** Resumes the Running cut-overs this node drove before it restarted (called on start and periodically). */
  public void resumeOwnJobs() {
    for (ShardRoute route : services.records().table().shards()) {
      MigrationHold hold = route.hold();
      if (hold == null) {
        continue;
      }
      services.records().cutover(hold)
          .filter(r -> services.self().equals(r.runner()))
          .ifPresent(r -> resumeIfOrphaned(route.vshard(), hold.migrationId(), r));
    }
  }

  public Optional<CutOverResult> runningState(int v) {
    return Optional.ofNullable(running.get(v)).map(r -> r.job.state());
  }

  private synchronized void resumeIfOrphaned(int v, String migrationId, CutOverResult seen) {
    if (!seen.running() || !services.self().equals(seen.runner()) || running.containsKey(v)
        || migrationId.equals(finishedHere.get(v))) {
      return;
    }
    // re-read under the lock: a job that just finished has recorded more than the caller saw
    Optional<CutOverResult> current = services.records().find(services.records().route(v), migrationId)
        .flatMap(services.records()::cutover);
    if (current.isEmpty() || !current.get().running()) {
      return;
    }
    CutOverResult recorded = current.get();
    if (recorded.membershipCommitted() || services.groups().promotionBegun(v, recorded.target())) {
      LOG.info("resuming the cut-over of vShard {} at step {}", v, recorded.step());
      launch(v, migrationId, recorded.withMessage(null));
    } else {
      // the process that held the writes is gone; nothing changed in the group: record the abort
      services.records().record(v, migrationId, CutOverResult.STEP, recorded
          .withMessage("the node running the cut-over restarted before the membership change")
          .finished(CutOverResult.ABORTED));
    }
  }

  private synchronized Running launch(int v, String migrationId, CutOverResult start) {
    Running existing = running.get(v);
    if (existing != null) {
      return existing;
    }
    CutOverJob job = new CutOverJob(v, migrationId, start, services);
    FutureTask<Void> task = new FutureTask<>(() -> {
      try {
        job.run();
      } finally {
        if (!job.state().running()) {
          finishedHere.put(v, migrationId);
        }
        running.remove(v);
      }
    }, null);
    Running entry = new Running(job, task);
    running.put(v, entry); // before it runs, so its own removal cannot come first
    jobs.execute(task);
    return entry;
  }

  private MigrationHold requireHold(ShardRoute route, String migrationId) {
    Optional<MigrationHold> mine = services.records().find(route, migrationId);
    if (mine.isPresent()) {
      return mine.get();
    }
    if (route.hold() != null) {
      throw Validation.busy(route.vshard(), route.hold());
    }
    throw new ApiException(409, "NoHold", "no migration holds vShard " + route.vshard() + "; PUT learners with migration '"
        + migrationId + "' first", "migrationId");
  }

  /** Whether the target reports its division RUNNING; if not, the cut-over has to bounce the leadership. */
  private boolean targetRunning(int v, String target) {
    try {
      return services.peers().reportsRunning(target, v, RUNNING_CHECK_TIMEOUT);
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** The source leads: hand leadership to the most caught-up other voter and let the job run there. */
  private String moveLeadershipAway(int v, GroupView view, String source) throws IOException {
    String next = view.peers().stream()
        .filter(p -> view.isVoter(p.node()) && !p.node().equals(source) && p.matchIndex() != null)
        .max(Comparator.comparingLong(PeerReplication::matchIndex))
        .map(PeerReplication::node)
        .orElseThrow(() -> new ApiException(409, "NoOtherVoter", "vShard " + v + " has no caught-up voter besides the"
            + " source '" + source + "' to lead the cut-over", "source"));
    // New writes wait at this node's gate during the transfer and then re-route to the new leader. Writes
    // already inside Ratis are let finish first: a leader that steps down fails its pending requests.
    services.writes().hold(v);
    try {
      RaftServer.Division division = services.groups().leaderDivision(v);
      long last = division.getRaftLog().getLastEntryTermIndex().getIndex();
      services.poller().await(() -> division.getInfo().getLastAppliedIndex() >= last, Duration.ofMillis(2),
          IN_FLIGHT_TIMEOUT, new AtomicReference<>());
      services.groups().admin(v).transferLeadershipAt(division, next, MOVE_AWAY_TIMEOUT_MS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while moving leadership away from the source", e);
    } finally {
      services.writes().release(v);
    }
    LOG.info("vShard {}: source {} led; leadership moved to {} to run the cut-over", v, source, next);
    return next;
  }

  private record Running(CutOverJob job, Future<?> future) {
  }
}
