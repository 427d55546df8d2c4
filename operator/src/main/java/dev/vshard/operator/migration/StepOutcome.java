package dev.vshard.operator.migration;

import dev.vshard.operator.model.VShardMigrationStatus;

import java.time.Duration;
import java.util.Optional;

/**
 * The result of one step.
 *
 * @param status the next status
 * @param changed whether anything in the status changed (nothing is written otherwise)
 * @param requeueAfter when to look again; empty for finished migrations
 */
public record StepOutcome(VShardMigrationStatus status, boolean changed, Optional<Duration> requeueAfter) {

  public static StepOutcome next(VShardMigrationStatus status, Duration requeueAfter) {
    return new StepOutcome(status, true, Optional.ofNullable(requeueAfter));
  }

  public static StepOutcome unchanged(VShardMigrationStatus status) {
    return new StepOutcome(status, false, Optional.empty());
  }
}
