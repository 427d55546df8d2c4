package dev.vshard.operator.it;

import dev.vshard.operator.OperatorRunner;
import dev.vshard.operator.migration.MigrationPhase;
import dev.vshard.operator.model.PhaseRecord;
import dev.vshard.operator.model.VShardMigration;
import dev.vshard.operator.model.VShardMigrationStatus;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.vshard.operator.it.OperatorTestBed.NORMAL;
import static dev.vshard.operator.it.OperatorTestBed.PATIENCE;
import static dev.vshard.operator.it.OperatorTestBed.nodeId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** vShard 0 moves from node 0 to node 3 (which joined later); then a finished migration is left alone. */
@ExtendWith(SharedTestBed.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MigrationCompletionIT {

  private static OperatorTestBed bed;

  @BeforeAll
  static void bed(OperatorTestBed shared) {
    bed = shared;
  }

  @Test
  @Order(1)
  void aMigrationCompletesWithFullStatusEventsAndTheDataOnTheTarget() {
    Map<String, String> values = new LinkedHashMap<>();
    for (int i = 0; i < 160; i++) {
      values.put("key-" + i, "value-" + i);
    }
    Map<String, Integer> vshardOf = bed.http.putAll(bed.node(0), values);
    List<String> keysOfV0 = vshardOf.entrySet().stream().filter(e -> e.getValue() == 0).map(Map.Entry::getKey).toList();
    assertThat(keysOfV0).as("some keys live in vShard 0").isNotEmpty();
    long epochBefore = bed.http.shard(bed.node(0), 0).path("epoch").asLong();

    VShardMigration done;
    try (OperatorRunner ignored = bed.startOperator(NORMAL, 4, null)) {
      bed.create("move-v0", 0, 0, 3, null);
      done = bed.awaitPhase("move-v0", MigrationPhase.Completed);
    }

    VShardMigrationStatus s = done.getStatus();
    assertThat(s.getReason()).isEqualTo("Completed");
    assertThat(s.getObservedGeneration()).isEqualTo(done.getMetadata().getGeneration());
    assertThat(Instant.parse(s.getStartTime())).isBeforeOrEqualTo(Instant.parse(s.getCompletionTime()));
    assertThat(s.getElapsed()).isNotBlank();
    assertThat(s.getPhases()).extracting(PhaseRecord::getPhase).containsExactly(MigrationPhase.Pending,
        MigrationPhase.BaseCopy, MigrationPhase.WalCatchUp, MigrationPhase.AtomicCutOver, MigrationPhase.Completed);
    assertThat(s.getPhases().subList(0, 4)).allSatisfy(p -> assertThat(p.getDurationMillis()).isNotNull().isNotNegative());
    assertThat(s.getProgress().getLeaderCommitIndex()).isPositive();
    assertThat(s.getProgress().getTargetMatchIndex()).isPositive();
    assertThat(s.getProgress().getLag()).isNotNegative();
    assertThat(s.getWritePause().getBudget()).isEqualTo("30s");
    assertThat(s.getWritePause().getBudgetMicros()).isEqualTo(30_000_000L);
    assertThat(s.getWritePause().getEstimateMicros()).as("node's estimate").isNotNull();
    assertThat(s.getWritePause().getActualMicros()).as("measured pause within the budget").isNotNull()
        .isBetween(0L, 30_000_000L);
    assertThat(s.getRoutingEpoch()).isGreaterThan(epochBefore);
    Pod target = bed.client.pods().inNamespace(OperatorTestBed.NS).withName(nodeId(3)).get();
    assertThat(s.getTargetPod().getUid()).isEqualTo(target.getMetadata().getUid());
    assertThat(s.getTargetPod().getPodIP()).isEqualTo(bed.node(3).host());
    assertThat(s.getConditions()).anySatisfy(c -> assertThat(c.getType() + "=" + c.getStatus()).isEqualTo("Ready=True"));
    assertThat(s.getConditions()).anySatisfy(c -> assertThat(c.getType() + "=" + c.getStatus()).isEqualTo("Reconciling=False"));
    assertThat(bed.events("move-v0")).extracting(Event::getReason)
        .contains("BaseCopy", "WalCatchUp", "AtomicCutOver", "Completed");

    bed.assertPlacement(0, List.of(nodeId(1), nodeId(2), nodeId(3)));
    for (String key : keysOfV0) {
      HttpResponse<String> read = bed.http.get(bed.node(3), key);
      assertThat(read.statusCode()).as(key).isEqualTo(200);
      assertThat(read.body()).isEqualTo(values.get(key));
    }
    HttpResponse<String> replica = bed.http.replica(bed.node(3), 0);
    assertThat(replica.statusCode()).isEqualTo(200);
    assertThat(bed.http.parse(replica.body()).path("keys").asLong()).isEqualTo(keysOfV0.size());
  }

  @Test
  @Order(2)
  void aReconcileOfAFinishedMigrationChangesNothing() {
    VShardMigration before = bed.get("move-v0");
    int eventsBefore = bed.events("move-v0").size();
    String routingBefore = bed.routingFingerprint();
    try (OperatorRunner ignored = bed.startOperator(NORMAL, 4, null)) {
      // a new operator reconciles every resource it finds when it starts: give it time to try
      await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(15)).untilAsserted(() ->
          assertThat(bed.get("move-v0").getMetadata().getResourceVersion())
              .isEqualTo(before.getMetadata().getResourceVersion()));
    }
    assertThat(bed.events("move-v0")).hasSize(eventsBefore);
    assertThat(bed.routingFingerprint()).isEqualTo(routingBefore);
  }

  @Test
  @Order(3)
  void aReappliedFinishedMoveCompletesAsANoOpAndIsDeletedTtlAfterCompletion() {
    String routingBefore = bed.routingFingerprint();
    try (OperatorRunner ignored = bed.startOperator(NORMAL, 4, null)) {
      bed.create("move-v0-again", 0, 0, 3, spec -> spec.setTtlSecondsAfterFinished(3));
      VShardMigration done = bed.awaitPhase("move-v0-again", MigrationPhase.Completed);
      assertThat(done.getStatus().getReason()).isEqualTo("AlreadyAtTarget");
      Instant completion = Instant.parse(done.getStatus().getCompletionTime());
      await().atMost(PATIENCE).until(() -> bed.get("move-v0-again") == null);
      assertThat(Instant.now()).as("deleted TTL after completion").isAfterOrEqualTo(completion.plusSeconds(3));
    }
    assertThat(bed.routingFingerprint()).as("nothing moved").isEqualTo(routingBefore);
  }
}
