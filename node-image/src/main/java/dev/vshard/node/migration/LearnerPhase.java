package dev.vshard.node.migration;

import dev.vshard.node.http.ApiException;
import dev.vshard.node.routing.MigrationHold;
import dev.vshard.node.routing.RoutingTable;
import dev.vshard.node.routing.ShardRoute;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.ratis.server.RaftServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Phase 1 (BaseCopy) and its rollback, run at the vShard's leader. Every call is keyed by the migration id:
 * a repeat returns the recorded result, and a call interrupted half-way is completed by the repeat because
 * every step checks the real state first (group hosted? listener in the configuration?).
 */
public final class LearnerPhase {
  private static final Logger LOG = LoggerFactory.getLogger(LearnerPhase.class);
  private final VShardGroups groups;
  private final MigrationRecords records;
  private final JoinSnapshot joinSnapshot;

  public LearnerPhase(VShardGroups groups, MigrationRecords records, ConditionPoller poller) {
    this.groups = groups;
    this.records = records;
    this.joinSnapshot = new JoinSnapshot(poller);
  }

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
    long started = System.nanoTime();
    records.acquire(v, migrationId, source, target);
    long held = System.nanoTime();

    long logStartAtJoin = leader.getRaftLog().getStartIndex();
    long commitAtJoin = leader.getRaftLog().getLastCommittedIndex();
    RaftGroupAdmin admin = groups.admin(v);
    admin.hostEmptyGroup(target);
    long hosted = System.nanoTime();
    if (!MembershipChange.listeners(leader.getRaftConf()).stream().anyMatch(p -> p.getId().toString().equals(target))) {
      joinSnapshot.prepare(v, leader);
      admin.changeMembership(MembershipChange.addListener(leader.getRaftConf(), groups.peer(target)));
      LOG.info("vShard {}: {} joined as a learner (migration {}); ms: hold {}, host the group {}, snapshot and join {}", v,
          target, migrationId, (held - started) / 1_000_000, (hosted - held) / 1_000_000, (System.nanoTime() - hosted) / 1_000_000);
    }
    LearnerResult added = new LearnerResult(LearnerResult.ADDED, source, target, logStartAtJoin, commitAtJoin);
    records.record(v, migrationId, LearnerResult.STEP, added);
    ShardRoute now = Validation.route(records.table(), v);
    if (!now.listeners().contains(target)) {
      List<String> listeners = new ArrayList<>(now.listeners());
      listeners.add(target);
      records.updateMembership(v, now.voters(), listeners);
    }
    return added;
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
    RaftGroupAdmin admin = groups.admin(v);
    // remove the replica (and its data) first: a division dropped from the configuration may close itself
    // and would then no longer be found to delete its directory
    admin.removeGroup(target, true);
    if (MembershipChange.listeners(leader.getRaftConf()).stream().anyMatch(p -> p.getId().toString().equals(target))) {
      admin.changeMembership(MembershipChange.removeListener(leader.getRaftConf(), target));
    }
    ShardRoute now = Validation.route(records.table(), v);
    if (now.listeners().contains(target)) {
      records.updateMembership(v, now.voters(), now.listeners().stream().filter(l -> !l.equals(target)).toList());
    }
    LearnerResult rolledBack = learner.map(LearnerResult::rolledBack)
        .orElse(new LearnerResult(LearnerResult.ROLLED_BACK, hold.source(), target, 0, 0));
    if (Validation.heldBy(Validation.route(records.table(), v), migrationId)) {
      records.record(v, migrationId, LearnerResult.STEP, rolledBack);
    }
    records.release(v, migrationId);
    return rolledBack;
  }
}
