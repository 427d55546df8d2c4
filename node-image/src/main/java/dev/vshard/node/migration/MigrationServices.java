package dev.vshard.node.migration;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;

/** Builds the migration primitives of one node from its seams (used by the admin wiring). */
public final class MigrationServices {
  private final VShardGroups groups;
  private final MigrationRecords records;
  private final HeldWrites writes = new HeldWrites();
  private final LearnerPhase learners;
  private final CutOverCoordinator cutovers;
  private final OrphanRelease orphans;
  private final ReplicaRetirement retirement;

  public MigrationServices(String self, VShardGroups groups, MigrationRecords records, PauseEstimator estimator,
                           PeerAdminClient peers, ScheduledExecutorService scheduler, ExecutorService jobs) {
    this.groups = groups;
    this.records = records;
    ConditionPoller poller = new ConditionPoller(scheduler);
    this.learners = new LearnerPhase(groups, records, jobs);
    CutOverServices services = new CutOverServices(self, groups, records, writes, peers, estimator, poller);
    this.cutovers = new CutOverCoordinator(services, jobs);
    this.orphans = new OrphanRelease(groups, records, learners, cutovers);
    this.retirement = new ReplicaRetirement(self, groups, records, jobs);
  }

  public VShardGroups groups() {
    return groups;
  }

  public MigrationRecords records() {
    return records;
  }

  public HeldWrites writes() {
    return writes;
  }

  public LearnerPhase learners() {
    return learners;
  }

  public CutOverCoordinator cutovers() {
    return cutovers;
  }

  public OrphanRelease orphans() {
    return orphans;
  }

  public ReplicaRetirement retirement() {
    return retirement;
  }
}
