package dev.vshard.operator.it;

import dev.vshard.operator.OperatorRunner;
import dev.vshard.operator.migration.MigrationPhase;
import dev.vshard.operator.model.VShardMigration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;

import static dev.vshard.operator.it.OperatorTestBed.NORMAL;
import static dev.vshard.operator.it.OperatorTestBed.PATIENCE;
import static dev.vshard.operator.it.OperatorTestBed.INITIAL_VOTERS;
import static dev.vshard.operator.it.OperatorTestBed.STAYS_IN_CATCH_UP;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** What the reconciler refuses and what it makes wait (vShards 7..11). */
@ExtendWith(SharedTestBed.class)
class MigrationAdmissionIT {

  private static OperatorTestBed bed;

  @BeforeAll
  static void bed(OperatorTestBed shared) {
    bed = shared;
  }

  @Test
  void invalidSpecsFailWithAReasonNamingTheFieldAndChangeNothingOnTheNodes() {
    String routingBefore = bed.routingFingerprint();
    try (OperatorRunner ignored = bed.startOperator(NORMAL, 4, null)) {
      bed.create("bad-node", 7, 0, 9, null);
      bed.create("bad-vshard", OperatorTestBed.VSHARDS, 0, 3, null);
      bed.create("bad-member", 7, 0, 1, null);
      bed.create("bad-budget", 7, 0, 3, spec -> spec.setWritePauseBudget("fast"));
      bed.create("bad-cluster", 7, 0, 3, spec -> spec.setCluster("nope"));
      assertFailed("bad-node", "UnknownNode", "spec.targetNode");
      assertFailed("bad-vshard", "UnknownVShard", "spec.vshard");
      assertFailed("bad-member", "AlreadyMember", "spec.targetNode");
      assertFailed("bad-budget", "InvalidSpec", "spec.writePauseBudget");
      assertFailed("bad-cluster", "UnknownCluster", "spec.cluster");
      assertThat(bed.routingFingerprint()).isEqualTo(routingBefore);
      for (String name : List.of("bad-node", "bad-vshard", "bad-member", "bad-budget", "bad-cluster")) {
        bed.deleteAndAwaitGone(name);  // the finalizer needs a running operator
      }
    }
  }

  @Test
  void aSecondMigrationOfTheSameVShardWaitsForTheFirst() {
    try (OperatorRunner ignored = bed.startOperator(STAYS_IN_CATCH_UP, 4, null)) {
      bed.create("same-first", 7, 0, 3, null);
      bed.awaitPhase("same-first", MigrationPhase.WalCatchUp);
      bed.create("same-second", 7, 1, 3, null);
      awaitWaiting("same-second", "VShardBusy");
      bed.deleteAndAwaitGone("same-first");
      bed.awaitPhase("same-second", MigrationPhase.WalCatchUp);
      bed.deleteAndAwaitGone("same-second");
    }
    bed.assertPlacement(7, INITIAL_VOTERS);
  }

  @Test
  void withALimitOfFourTheFifthMigrationWaitsInCreationOrder() {
    List<String> names = List.of("five-a", "five-b", "five-c", "five-d", "five-e");
    try (OperatorRunner ignored = bed.startOperator(STAYS_IN_CATCH_UP, 4, null)) {
      for (int i = 0; i < names.size(); i++) {
        bed.create(names.get(i), 7 + i, 0, 3, null);
      }
      for (String started : names.subList(0, 4)) {
        bed.awaitPhase(started, MigrationPhase.WalCatchUp);
      }
      awaitWaiting("five-e", "Queued");
      assertThat(bed.get("five-e").getStatus().getMessage()).contains("4 of 4");
      bed.deleteAndAwaitGone("five-a");
      bed.awaitPhase("five-e", MigrationPhase.WalCatchUp);
      for (String name : names.subList(1, 5)) {
        bed.deleteAndAwaitGone(name);
      }
    }
    for (int v = 7; v < 12; v++) {
      bed.assertPlacement(v, INITIAL_VOTERS);
    }
  }

  private static void awaitWaiting(String name, String reason) {
    await().atMost(PATIENCE).untilAsserted(() -> {
      VShardMigration m = bed.get(name);
      assertThat(m.getStatus()).isNotNull();
      assertThat(m.getStatus().getReason()).isEqualTo(reason);
    });
    await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(bed.get(name).getStatus().getPhase()).isEqualTo(MigrationPhase.Pending));
  }

  private static void assertFailed(String name, String reason, String field) {
    VShardMigration failed = bed.awaitPhase(name, MigrationPhase.Failed);
    assertThat(failed.getStatus().getReason()).isEqualTo(reason);
    assertThat(failed.getStatus().getMessage()).contains(field);
  }
}
