package dev.vshard.operator.migration;

import org.junit.jupiter.api.Test;

import static dev.vshard.operator.migration.MigrationPhase.AtomicCutOver;
import static dev.vshard.operator.migration.MigrationPhase.BaseCopy;
import static dev.vshard.operator.migration.MigrationPhase.Completed;
import static dev.vshard.operator.migration.MigrationPhase.Failed;
import static dev.vshard.operator.migration.MigrationPhase.Pending;
import static dev.vshard.operator.migration.MigrationPhase.WalCatchUp;
import static org.assertj.core.api.Assertions.assertThat;

class MigrationPhaseTest {

  @Test
  void failedIsReachableOnlyBeforeTheCutOver() {
    assertThat(Pending.allowedNext()).containsExactlyInAnyOrder(BaseCopy, Completed, Failed);
    assertThat(BaseCopy.allowedNext()).containsExactlyInAnyOrder(WalCatchUp, Failed);
    assertThat(WalCatchUp.allowedNext()).containsExactlyInAnyOrder(AtomicCutOver, Failed);
    assertThat(AtomicCutOver.allowedNext()).containsExactlyInAnyOrder(Completed, WalCatchUp).doesNotContain(Failed);
    assertThat(Completed.allowedNext()).isEmpty();
    assertThat(Failed.allowedNext()).isEmpty();
  }

  @Test
  void onlyTheThreeRunningPhasesHoldASlot() {
    assertThat(java.util.Arrays.stream(MigrationPhase.values()).filter(MigrationPhase::isActive))
        .containsExactly(BaseCopy, WalCatchUp, AtomicCutOver);
  }
}
