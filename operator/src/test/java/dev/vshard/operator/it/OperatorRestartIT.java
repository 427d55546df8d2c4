package dev.vshard.operator.it;

import dev.vshard.operator.OperatorRunner;
import dev.vshard.operator.migration.MigrationPhase;
import dev.vshard.operator.migration.MigrationSettings;
import dev.vshard.operator.model.PhaseRecord;
import dev.vshard.operator.model.VShardMigration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;

import static dev.vshard.operator.it.OperatorTestBed.NORMAL;
import static dev.vshard.operator.it.OperatorTestBed.PARKS_IN_BASE_COPY;
import static dev.vshard.operator.it.OperatorTestBed.PARKS_IN_CUT_OVER;
import static dev.vshard.operator.it.OperatorTestBed.STAYS_IN_CATCH_UP;
import static dev.vshard.operator.it.OperatorTestBed.nodeId;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The operator is stopped while a migration is in BaseCopy, WalCatchUp or AtomicCutOver and a new one
 * is started: it resumes from the status and completes, each phase entered once (vShards 1, 2, 3).
 * The first operator is configured not to look again in that phase, so it is stopped there for sure.
 */
@ExtendWith(SharedTestBed.class)
class OperatorRestartIT {

  private static OperatorTestBed bed;

  @BeforeAll
  static void bed(OperatorTestBed shared) {
    bed = shared;
  }

  @Test
  void stoppedInBaseCopy() {
    stopInThenResume(1, PARKS_IN_BASE_COPY, MigrationPhase.BaseCopy);
  }

  /** While it is stopped, the spec is also edited (the mock applies no CEL): the edit is ignored and reported. */
  @Test
  void stoppedInWalCatchUpWithItsSpecEdited() {
    stopInThenResume(2, STAYS_IN_CATCH_UP, MigrationPhase.WalCatchUp);
    VShardMigration done = bed.get("restart-in-walcatchup");
    assertThat(done.getSpec().getTargetNode()).as("the edit is there").isEqualTo(nodeId(1));
    assertThat(done.getStatus().getAcceptedSpec().getTargetNode()).isEqualTo(nodeId(3));
    assertThat(bed.events("restart-in-walcatchup")).filteredOn(e -> "SpecChangeIgnored".equals(e.getReason()))
        .singleElement().satisfies(e -> assertThat(e.getMessage()).contains(nodeId(1)).contains("immutable"));
  }

  @Test
  void stoppedInAtomicCutOver() {
    stopInThenResume(3, PARKS_IN_CUT_OVER, MigrationPhase.AtomicCutOver);
  }

  private void stopInThenResume(int vshard, MigrationSettings first, MigrationPhase stopIn) {
    String name = "restart-in-" + stopIn.name().toLowerCase();
    try (OperatorRunner ignored = bed.startOperator(first, 4, null)) {
      bed.create(name, vshard, 0, 3, null);
      bed.awaitPhase(name, stopIn);
    }
    if (stopIn == MigrationPhase.WalCatchUp) {
      bed.client.resources(VShardMigration.class).inNamespace(OperatorTestBed.NS).withName(name)
          .edit(m -> {
            m.getSpec().setTargetNode(nodeId(1));
            return m;
          });
    }
    VShardMigration resumed;
    try (OperatorRunner ignored = bed.startOperator(NORMAL, 4, null)) {
      resumed = bed.awaitPhase(name, MigrationPhase.Completed);
    }
    assertThat(resumed.getStatus().getPhases()).as("each phase entered once").extracting(PhaseRecord::getPhase)
        .containsExactly(MigrationPhase.Pending, MigrationPhase.BaseCopy, MigrationPhase.WalCatchUp,
            MigrationPhase.AtomicCutOver, MigrationPhase.Completed);
    assertThat(resumed.getStatus().getWritePause().getActualMicros()).isNotNull();
    bed.assertPlacement(vshard, List.of(nodeId(1), nodeId(2), nodeId(3)));
  }
}
