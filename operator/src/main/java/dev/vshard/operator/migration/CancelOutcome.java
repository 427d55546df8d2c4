package dev.vshard.operator.migration;

import dev.vshard.operator.model.VShardMigrationStatus;

import java.time.Duration;

/**
 * What the finalizer may do with a deleted migration.
 *
 * @param done the finalizer may go: rolled back, finished, or nothing was started on a node
 * @param status the status to write while not done (e.g. the cut-over's progress)
 */
public record CancelOutcome(boolean done, VShardMigrationStatus status, Duration requeueAfter) {

  public static CancelOutcome finished(VShardMigrationStatus status) {
    return new CancelOutcome(true, status, null);
  }

  public static CancelOutcome notYet(VShardMigrationStatus status, Duration requeueAfter) {
    return new CancelOutcome(false, status, requeueAfter);
  }
}
