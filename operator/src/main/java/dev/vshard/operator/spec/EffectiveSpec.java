package dev.vshard.operator.spec;

import java.time.Duration;

/**
 * A valid spec with the CRD's defaults applied: what the reconciler and the local CLI work with.
 *
 * @param ttlSecondsAfterFinished {@code null} when the spec leaves it unset
 */
public record EffectiveSpec(
    String cluster,
    int vshard,
    String sourceNode,
    String targetNode,
    Duration writePauseBudget,
    long catchUpThreshold,
    Duration catchUpTimeout,
    boolean transferLeadership,
    Integer ttlSecondsAfterFinished) {

  /** The budget in the unit the node API uses. */
  public long writePauseBudgetMicros() {
    return writePauseBudget.toNanos() / 1000;
  }
}
