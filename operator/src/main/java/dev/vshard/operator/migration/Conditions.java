package dev.vshard.operator.migration;

import dev.vshard.operator.model.VShardMigrationStatus;
import io.fabric8.kubernetes.api.model.Condition;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Conditions with Kubernetes semantics (the kstatus convention Flux and {@code kubectl wait} read):
 * {@code Ready} True once Completed, {@code Reconciling} True while the migration is in progress,
 * {@code Stalled} True once Failed. {@code lastTransitionTime} moves only when a status flips.
 */
public final class Conditions {

  public static final String READY = "Ready";
  public static final String RECONCILING = "Reconciling";
  public static final String STALLED = "Stalled";

  private Conditions() { }

  /** Sets the three conditions from the status' phase, reason and message. */
  public static void applyPhase(VShardMigrationStatus status, Long generation, Instant now) {
    MigrationPhase phase = status.getPhase();
    String reason = status.getReason() != null ? status.getReason() : phase.name();
    String message = status.getMessage() != null ? status.getMessage() : "";
    boolean completed = phase == MigrationPhase.Completed;
    boolean failed = phase == MigrationPhase.Failed;
    set(status.getConditions(), READY, completed, completed ? reason : (failed ? reason : "InProgress"),
        completed ? message : (failed ? message : "migration is " + phase), generation, now);
    set(status.getConditions(), RECONCILING, !phase.isTerminal(), phase.isTerminal() ? phase.name() : reason,
        phase.isTerminal() ? "migration finished" : message, generation, now);
    set(status.getConditions(), STALLED, failed, failed ? reason : "Progressing",
        failed ? message : "", generation, now);
  }

  /**
   * Creates or updates condition {@code type}; keeps {@code lastTransitionTime} unless the status
   * changes from True to False or back.
   */
  public static void set(List<Condition> conditions, String type, boolean value, String reason, String message,
                         Long generation, Instant now) {
    String status = value ? "True" : "False";
    Condition existing = conditions.stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
    if (existing == null) {
      Condition created = new Condition();
      created.setType(type);
      created.setStatus(status);
      created.setLastTransitionTime(Timestamps.format(now));
      existing = created;
      conditions.add(created);
    } else if (!Objects.equals(existing.getStatus(), status)) {
      existing.setStatus(status);
      existing.setLastTransitionTime(Timestamps.format(now));
    }
    existing.setReason(reason);
    existing.setMessage(message);
    existing.setObservedGeneration(generation);
  }

  /** The condition's status, or empty when absent. */
  public static java.util.Optional<Condition> find(VShardMigrationStatus status, String type) {
    return status.getConditions().stream().filter(c -> type.equals(c.getType())).findFirst();
  }
}
