package dev.vshard.operator.migration;

import dev.vshard.operator.model.VShardMigrationStatus;
import io.fabric8.kubernetes.api.model.Condition;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class ConditionsTest {

  private final Instant t0 = Instant.parse("2026-11-25T01:00:00Z");

  @Test
  void lastTransitionTimeMovesOnlyWhenTheStatusFlips() {
    VShardMigrationStatus s = StatusTransitions.initial(1L, t0);
    String reconcilingSince = condition(s, Conditions.RECONCILING).getLastTransitionTime();

    StatusTransitions.enter(s, MigrationPhase.BaseCopy, "BaseCopy", "copying", 1L, t0.plusSeconds(5));
    StatusTransitions.refresh(s, "BaseCopy", "still copying", 1L, t0.plusSeconds(6));
    assertThat(condition(s, Conditions.RECONCILING).getLastTransitionTime()).isEqualTo(reconcilingSince);
    assertThat(condition(s, Conditions.RECONCILING).getMessage()).isEqualTo("still copying");
    assertThat(condition(s, Conditions.RECONCILING).getReason()).isEqualTo("BaseCopy");

    StatusTransitions.enter(s, MigrationPhase.WalCatchUp, "WalCatchUp", "following", 1L, t0.plusSeconds(9));
    StatusTransitions.enter(s, MigrationPhase.AtomicCutOver, "AtomicCutOver", "cutting", 1L, t0.plusSeconds(12));
    StatusTransitions.enter(s, MigrationPhase.Completed, "Completed", "done", 1L, t0.plusSeconds(13));

    assertThat(condition(s, Conditions.READY).getStatus()).isEqualTo("True");
    assertThat(condition(s, Conditions.READY).getLastTransitionTime()).isEqualTo("2026-11-25T01:00:13Z");
    assertThat(condition(s, Conditions.RECONCILING).getStatus()).isEqualTo("False");
    assertThat(condition(s, Conditions.RECONCILING).getLastTransitionTime()).isEqualTo("2026-11-25T01:00:13Z");
    assertThat(condition(s, Conditions.STALLED).getStatus()).isEqualTo("False");
    assertThat(condition(s, Conditions.STALLED).getLastTransitionTime()).as("never flipped").isEqualTo("2026-11-25T01:00:00Z");
  }

  @Test
  void failedIsStalledAndNotReadyWithTheFailureReason() {
    VShardMigrationStatus s = StatusTransitions.initial(3L, t0);
    StatusTransitions.enter(s, MigrationPhase.Failed, "UnknownNode", "spec.targetNode 'x' is not a pod", 3L, t0);
    assertThat(condition(s, Conditions.STALLED).getStatus()).isEqualTo("True");
    assertThat(condition(s, Conditions.STALLED).getReason()).isEqualTo("UnknownNode");
    assertThat(condition(s, Conditions.READY).getStatus()).isEqualTo("False");
    assertThat(condition(s, Conditions.READY).getReason()).isEqualTo("UnknownNode");
    assertThat(s.getConditions()).allSatisfy(c -> assertThat(c.getObservedGeneration()).isEqualTo(3L));
  }

  @Test
  void aTransitionThatIsNotAllowedIsABug() {
    VShardMigrationStatus s = StatusTransitions.initial(1L, t0);
    StatusTransitions.enter(s, MigrationPhase.BaseCopy, "BaseCopy", "", 1L, t0);
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> StatusTransitions.enter(s, MigrationPhase.AtomicCutOver, "x", "", 1L, t0))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("BaseCopy to AtomicCutOver");
  }

  @Test
  void phaseRecordsCarryStartAndDuration() {
    VShardMigrationStatus s = StatusTransitions.initial(1L, t0);
    StatusTransitions.enter(s, MigrationPhase.BaseCopy, "BaseCopy", "", 1L, t0.plusMillis(1500));
    StatusTransitions.enter(s, MigrationPhase.WalCatchUp, "WalCatchUp", "", 1L, t0.plusMillis(4000));
    assertThat(s.getPhases()).extracting(r -> r.getPhase().name(), r -> r.getDuration())
        .containsExactly(org.assertj.core.groups.Tuple.tuple("Pending", "1.5s"),
            org.assertj.core.groups.Tuple.tuple("BaseCopy", "2.5s"), org.assertj.core.groups.Tuple.tuple("WalCatchUp", null));
    assertThat(s.getStartTime()).isEqualTo("2026-11-25T01:00:01.500Z");
    assertThat(s.getElapsed()).isEqualTo("2.5s");
  }

  private static Condition condition(VShardMigrationStatus s, String type) {
    return Conditions.find(s, type).orElseThrow();
  }
}
