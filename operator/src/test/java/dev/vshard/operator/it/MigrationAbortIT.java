package dev.vshard.operator.it;

import dev.vshard.operator.OperatorRunner;
import dev.vshard.operator.migration.MigrationPhase;
import dev.vshard.operator.model.VShardMigration;
import io.fabric8.kubernetes.api.model.Event;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;

import static dev.vshard.operator.it.OperatorTestBed.NORMAL;
import static dev.vshard.operator.it.OperatorTestBed.PATIENCE;
import static dev.vshard.operator.it.OperatorTestBed.INITIAL_VOTERS;
import static dev.vshard.operator.it.OperatorTestBed.STAYS_IN_CATCH_UP;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Migrations that must end with the source untouched and the target's copy gone (vShards 4, 5, 6). */
@ExtendWith(SharedTestBed.class)
class MigrationAbortIT {

  private static OperatorTestBed bed;

  @BeforeAll
  static void bed(OperatorTestBed shared) {
    bed = shared;
  }

  @Test
  void deletingAMigrationInWalCatchUpRollsItBack() {
    try (OperatorRunner ignored = bed.startOperator(STAYS_IN_CATCH_UP, 4, null)) {
      bed.create("delete-in-catch-up", 4, 0, 3, null);
      bed.awaitPhase("delete-in-catch-up", MigrationPhase.WalCatchUp);
      bed.deleteAndAwaitGone("delete-in-catch-up");
      assertThat(bed.events("delete-in-catch-up")).extracting(Event::getReason).contains("Cancelled");
    }
    bed.assertPlacement(4, INITIAL_VOTERS);
    assertThat(bed.http.replica(bed.node(3), 4).statusCode()).as("target's copy removed").isEqualTo(404);
  }

  @Test
  void aTargetPodReplacedDuringCatchUpFailsTheMigrationAndRollsBack() {
    try (OperatorRunner ignored = bed.startOperator(STAYS_IN_CATCH_UP, 4, null)) {
      bed.create("target-restarts", 5, 0, 3, null);
      VShardMigration catchingUp = bed.awaitPhase("target-restarts", MigrationPhase.WalCatchUp);
      int restartsBefore = catchingUp.getStatus().getTargetPod().getRestartCount();
      bed.node(3).restart();
      VShardMigration failed = bed.awaitPhase("target-restarts", MigrationPhase.Failed);
      assertThat(failed.getStatus().getReason()).isEqualTo("TargetPodReplaced");
      assertThat(failed.getStatus().getMessage()).contains("restartCount=" + restartsBefore)
          .contains("restartCount=" + (restartsBefore + 1)).contains("rolled back");
      assertThat(failed.getStatus().getConditions())
          .anySatisfy(c -> assertThat(c.getType() + "=" + c.getStatus()).isEqualTo("Stalled=True"));
      assertThat(bed.events("target-restarts")).anySatisfy(e -> {
        assertThat(e.getType()).isEqualTo("Warning");
        assertThat(e.getReason()).isEqualTo("TargetPodReplaced");
      });
    } finally {
      bed.node(3).awaitReady();
    }
    bed.assertPlacement(5, INITIAL_VOTERS);
  }

  @Test
  void aHoldWhoseMigrationVanishedIsReleasedWhenAnOperatorStarts() {
    String uid;
    try (OperatorRunner ignored = bed.startOperator(STAYS_IN_CATCH_UP, 4, null)) {
      uid = bed.create("vanishes", 6, 0, 3, null).getMetadata().getUid();
      bed.awaitPhase("vanishes", MigrationPhase.WalCatchUp);
    }
    bed.client.resources(VShardMigration.class).inNamespace(OperatorTestBed.NS).withName("vanishes")
        .edit(m -> {
          m.getMetadata().setFinalizers(List.of());
          return m;
        });
    bed.deleteAndAwaitGone("vanishes");
    assertThat(bed.http.shard(bed.node(0), 6).path("migrationId").asText()).as("the node still holds v6").isEqualTo(uid);

    try (OperatorRunner ignored = bed.startOperator(NORMAL, 4, null)) {
      await().atMost(PATIENCE).untilAsserted(() ->
          assertThat(bed.http.shard(bed.node(0), 6).path("migrationId").isNull()).isTrue());
    }
    bed.assertPlacement(6, INITIAL_VOTERS);
  }
}
