package dev.vshard.operator.reconciler;

import dev.vshard.operator.OperatorRunner;
import dev.vshard.operator.OperatorSettings;
import dev.vshard.operator.migration.FakeNodeAdmin;
import dev.vshard.operator.migration.MigrationPhase;
import dev.vshard.operator.migration.MigrationSettings;
import dev.vshard.operator.model.VShardMigration;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * UNIT-LEVEL test of the reconciler's wiring (JOSDK, status patches without SSA, finalizer, Events,
 * TTL, queueing) on the fabric8 mock API server in CRUD mode, with a FAKE node admin client standing
 * in for the nodes. The real end-to-end behaviour against node processes is in the *IT classes.
 */
@EnableKubernetesMockClient(crud = true)
class ReconcilerWiringOnMockTest {

  static KubernetesClient client;
  static KubernetesMockServer server;
  static final FakeNodeAdmin NODES = new FakeNodeAdmin();
  static OperatorRunner operator;

  static MockApiFixture api;

  @BeforeAll
  static void startOperator() {
    api = new MockApiFixture(client);
    api.installClusterOf(NODES);
    operator = OperatorRunner.start(client, OperatorSettings.inProcess().withMaxConcurrentPerCluster(4),
        cluster -> NODES, new MigrationSettings(3, 2, Duration.ofMillis(200), Duration.ofMillis(200), Duration.ofMillis(300)), Clock.systemUTC());
  }

  @AfterAll
  static void stop() {
    operator.close();
  }

  @Test
  void drivesAMigrationToCompletedWithStatusConditionsAndEvents() {
    api.create("move-1", 1, null);
    VShardMigration done = api.awaitPhase("move-1", MigrationPhase.Completed);
    assertThat(done.getStatus().getPhases()).extracting(r -> r.getPhase().name())
        .containsExactly("Pending", "BaseCopy", "WalCatchUp", "AtomicCutOver", "Completed");
    assertThat(done.getStatus().getConditions()).anySatisfy(c -> {
      assertThat(c.getType()).isEqualTo("Ready");
      assertThat(c.getStatus()).isEqualTo("True");
    });
    Pod target = client.pods().inNamespace("default").withName("demo-node-3").get();
    assertThat(done.getStatus().getTargetPod().getUid()).isEqualTo(target.getMetadata().getUid());
    assertThat(done.getStatus().getTargetPod().getPodIP()).isEqualTo("127.0.0.4");
    assertThat(done.getMetadata().getFinalizers()).isNotEmpty();
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(api.eventsOf("move-1"))
        .extracting(Event::getReason).contains("BaseCopy", "WalCatchUp", "AtomicCutOver", "Completed"));
    assertThat(operator.scrape()).contains("vshard_migrations_total{result=\"Completed\"}");
  }

  @Test
  void anInvalidSpecFailsWithTheFieldAndAWarningEvent() {
    api.create("bad-target", 2, s -> s.setTargetNode("demo-node-9"));
    VShardMigration failed = api.awaitPhase("bad-target", MigrationPhase.Failed);
    assertThat(failed.getStatus().getReason()).isEqualTo("UnknownNode");
    assertThat(failed.getStatus().getMessage()).contains("spec.targetNode");
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(api.eventsOf("bad-target"))
        .anySatisfy(e -> {
          assertThat(e.getType()).isEqualTo("Warning");
          assertThat(e.getReason()).isEqualTo("UnknownNode");
        }));
  }

  @Test
  void aFinishedMigrationIsDeletedTtlAfterCompletion() {
    api.create("short-lived", 3, s -> s.setTtlSecondsAfterFinished(2));
    VShardMigration done = api.awaitPhase("short-lived", MigrationPhase.Completed);
    assertThat(done.getStatus().getCompletionTime()).isNotNull();
    await().atMost(Duration.ofSeconds(30)).until(() -> api.get("short-lived") == null);
  }
}
