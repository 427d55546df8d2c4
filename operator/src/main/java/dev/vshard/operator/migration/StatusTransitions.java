package dev.vshard.operator.migration;

import dev.vshard.operator.model.PhaseRecord;
import dev.vshard.operator.model.VShardMigrationStatus;
import dev.vshard.operator.spec.KubernetesDuration;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Moves a status into a phase (closing the previous phase's record) or refreshes it within one. */
public final class StatusTransitions {

  private StatusTransitions() { }

  /** A fresh status for a migration nobody has looked at yet. */
  public static VShardMigrationStatus initial(Long generation, Instant now) {
    VShardMigrationStatus status = new VShardMigrationStatus();
    status.setPhase(MigrationPhase.Pending);
    status.getPhases().add(new PhaseRecord(MigrationPhase.Pending, Timestamps.formatPrecise(now)));
    status.setReason("Created");
    status.setMessage("waiting for the operator to validate the migration");
    status.setObservedGeneration(generation);
    Conditions.applyPhase(status, generation, now);
    return status;
  }

  /**
   * Enters {@code next}.
   *
   * @throws IllegalStateException when {@code next} is not an allowed successor (a bug, not input)
   */
  public static void enter(VShardMigrationStatus status, MigrationPhase next, String reason, String message,
                           Long generation, Instant now) {
    MigrationPhase current = status.getPhase();
    if (current != null && current != next && !current.allowedNext().contains(next)) {
      throw new IllegalStateException("no transition from " + current + " to " + next);
    }
    closeCurrentPhase(status, now);
    status.getPhases().add(new PhaseRecord(next, Timestamps.formatPrecise(now)));
    if (status.getStartTime() == null && next != MigrationPhase.Pending) {
      status.setStartTime(Timestamps.formatPrecise(now));
    }
    if (next.isTerminal()) {
      status.setCompletionTime(Timestamps.formatPrecise(now));
    }
    status.setPhase(next);
    refresh(status, reason, message, generation, now);
  }

  /** Stays in the phase; updates reason, message, elapsed and conditions. */
  public static void refresh(VShardMigrationStatus status, String reason, String message, Long generation,
                             Instant now) {
    status.setReason(reason);
    status.setMessage(message);
    status.setObservedGeneration(generation);
    if (status.getStartTime() != null) {
      Instant end = status.getCompletionTime() != null ? Timestamps.parse(status.getCompletionTime()) : now;
      status.setElapsed(KubernetesDuration.format(Duration.between(Timestamps.parse(status.getStartTime()), end)));
    }
    Conditions.applyPhase(status, generation, now);
  }

  /** When the current phase began, or {@code now} if no record exists. */
  public static Instant currentPhaseStart(VShardMigrationStatus status, Instant now) {
    List<PhaseRecord> phases = status.getPhases();
    if (phases.isEmpty()) {
      return now;
    }
    return Timestamps.parse(phases.get(phases.size() - 1).getStartTime());
  }

  private static void closeCurrentPhase(VShardMigrationStatus status, Instant now) {
    List<PhaseRecord> phases = status.getPhases();
    if (phases.isEmpty()) {
      return;
    }
    PhaseRecord last = phases.get(phases.size() - 1);
    if (last.getDuration() == null) {
      Duration d = Duration.between(Timestamps.parse(last.getStartTime()), now);
      last.setDuration(KubernetesDuration.format(d));
      last.setDurationMillis(d.toMillis());
    }
  }
}
