package dev.vshard.node.migration;

import dev.vshard.node.http.ApiException;
import dev.vshard.node.routing.MigrationHold;
import dev.vshard.node.routing.ShardRoute;
import java.util.Optional;

/**
 * {@code DELETE /admin/v1/vshards/{v}/migration}: releases a hold whose migration no longer exists. Before the
 * membership change it rolls back like the learner DELETE; after it, it completes the cut-over.
 */
public final class OrphanRelease {
  public static final String ROLLED_BACK = LearnerResult.ROLLED_BACK;
  public static final String COMPLETED = CutOverResult.COMPLETED;

  private final VShardGroups groups;
  private final MigrationRecords records;
  private final LearnerPhase learners;
  private final CutOverCoordinator cutovers;

  public OrphanRelease(VShardGroups groups, MigrationRecords records, LearnerPhase learners,
                       CutOverCoordinator cutovers) {
    this.groups = groups;
    this.records = records;
    this.learners = learners;
    this.cutovers = cutovers;
  }

  /** Returns the final state, {@code RolledBack} or {@code Completed}. */
  public String release(int v, String migrationId) throws Exception {
    ShardRoute route = Validation.route(records.table(), v);
    Optional<MigrationHold> mine = records.find(route, migrationId);
    if (mine.isEmpty()) {
      if (route.hold() != null) {
        throw Validation.busy(v, route.hold());
      }
      throw new ApiException(404, "NoHold", "no migration '" + migrationId + "' holds vShard " + v, "migrationId");
    }
    MigrationHold hold = mine.get();
    Optional<CutOverResult> cutover = records.cutover(hold);
    if (!Validation.heldBy(route, migrationId)) {
      // already finished: answer what was recorded
      return cutover.filter(c -> COMPLETED.equals(c.state())).isPresent() ? COMPLETED : ROLLED_BACK;
    }
    // decided at the leader, on the group's latest configuration: a follower that is behind would roll back a
    // cut-over whose membership change began, and one that runs the job here cannot change the group
    groups.leaderDivision(v);
    if (cutover.isPresent() && cutover.get().running() && cutovers.runningState(v).isPresent()) {
      // a job of this node is deciding right now; its outcome decides ours
      cutover = Optional.of(cutovers.complete(v, migrationId, cutover.get()));
      if (COMPLETED.equals(cutover.get().state())) {
        return COMPLETED;
      }
    }
    if (cutover.isPresent() && committed(v, cutover.get())) {
      CutOverResult done = cutovers.complete(v, migrationId, cutover.get());
      if (!COMPLETED.equals(done.state())) {
        throw new ApiException(503, "CutOverStalled", "the cut-over of vShard " + v + " could not complete yet: "
            + done.message(), null);
      }
      return COMPLETED;
    }
    if (cutover.isPresent() && cutover.get().running()) {
      // its runner is gone (no job here, nothing committed): close the record so the rollback may proceed
      records.record(v, migrationId, CutOverResult.STEP, cutover.get()
          .withMessage("released by DELETE /migration before the membership change").finished(CutOverResult.ABORTED));
    }
    learners.rollback(v, hold.target(), migrationId);
    return ROLLED_BACK;
  }

  /** Past the point of no return: the membership change is recorded, or a running cut-over began it. */
  private boolean committed(int v, CutOverResult cutover) {
    return cutover.membershipCommitted() || cutover.running() && groups.promotionBegun(v, cutover.target());
  }
}
