package dev.vshard.operator.migration;

import java.time.Duration;

/**
 * Operator-wide knobs of the state machine.
 *
 * @param maxPauseBudgetRefusals refusals or aborts of the cut-over for its budget before the migration fails
 * @param caughtUpObservationsNeeded consecutive observations within the threshold before asking for the cut-over
 * @param activePollInterval how soon to look again while BaseCopy or WalCatchUp runs
 * @param cutOverPollInterval how soon to poll the node's cut-over job during AtomicCutOver
 * @param waitPollInterval how soon to look again while queued or while a node is unreachable
 */
public record MigrationSettings(int maxPauseBudgetRefusals, int caughtUpObservationsNeeded,
                                Duration activePollInterval, Duration cutOverPollInterval, Duration waitPollInterval) {

  public static MigrationSettings defaults() {
    return new MigrationSettings(5, 2, Duration.ofSeconds(1), Duration.ofMillis(500), Duration.ofSeconds(2));
  }
}
