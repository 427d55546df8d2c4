package dev.vshard.operator.reconciler;

import dev.vshard.operator.OperatorRunner;
import dev.vshard.operator.OperatorSettings;
import dev.vshard.operator.migration.FakeNodeAdmin;
import dev.vshard.operator.migration.MigrationPhase;
import dev.vshard.operator.migration.MigrationSettings;
import dev.vshard.operator.model.VShardMigration;
import dev.vshard.operator.model.VShardMigrationSpec;
import dev.vshard.operator.node.ClusterDiscovery;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

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

  @BeforeAll
  static void startOperator() throws Exception {
    try (InputStream crd = ReconcilerWiringOnMockTest.class.getResourceAsStream(
        "/META-INF/fabric8/vshardmigrations.vshard.dev-v1.yml")) {
      client.apiextensions().v1().customResourceDefinitions().load(crd).create();
    }
    for (int i = 0; i < 4; i++) {
      client.pods().inNamespace("default").resource(pod("demo-node-" + i, i)).create();
      NODES.directory.add("demo-node-" + i);
    }
    client.secrets().inNamespace("default").resource(new SecretBuilder().withNewMetadata()
        .withName("demo-admin-token").endMetadata().withStringData(Map.of("token", "t0ken")).build()).create();
    for (int v = 0; v < 8; v++) {
      NODES.shard(v, "demo-node-0", "demo-node-1", "demo-node-2");
    }
    NODES.autopilot = true;
    operator = OperatorRunner.start(client, OperatorSettings.inProcess().withMaxConcurrentPerCluster(4),
        cluster -> NODES, new MigrationSettings(3, 2, Duration.ofMillis(200), Duration.ofMillis(200), Duration.ofMillis(300)), Clock.systemUTC());
  }

  @AfterAll
  static void stop() {
    operator.close();
  }

  @Test
  void drivesAMigrationToCompletedWithStatusConditionsAndEvents() {
    create("move-1", 1, null);
    VShardMigration done = awaitPhase("move-1", MigrationPhase.Completed);
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
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(eventsOf("move-1"))
        .extracting(Event::getReason).contains("BaseCopy", "WalCatchUp", "AtomicCutOver", "Completed"));
    assertThat(operator.scrape()).contains("vshard_migrations_total{result=\"Completed\"}");
  }

  @Test
  void anInvalidSpecFailsWithTheFieldAndAWarningEvent() {
    create("bad-target", 2, s -> s.setTargetNode("demo-node-9"));
    VShardMigration failed = awaitPhase("bad-target", MigrationPhase.Failed);
    assertThat(failed.getStatus().getReason()).isEqualTo("UnknownNode");
    assertThat(failed.getStatus().getMessage()).contains("spec.targetNode");
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(eventsOf("bad-target"))
        .anySatisfy(e -> {
          assertThat(e.getType()).isEqualTo("Warning");
          assertThat(e.getReason()).isEqualTo("UnknownNode");
        }));
  }

  @Test
  void aFinishedMigrationIsDeletedTtlAfterCompletion() {
    create("short-lived", 3, s -> s.setTtlSecondsAfterFinished(2));
    VShardMigration done = awaitPhase("short-lived", MigrationPhase.Completed);
    assertThat(done.getStatus().getCompletionTime()).isNotNull();
    await().atMost(Duration.ofSeconds(30)).until(() -> get("short-lived") == null);
  }

  private static void create(String name, int vshard, java.util.function.Consumer<VShardMigrationSpec> edit) {
    VShardMigration m = new VShardMigration();
    m.getMetadata().setName(name);
    m.getMetadata().setNamespace("default");
    VShardMigrationSpec spec = new VShardMigrationSpec();
    spec.setCluster("demo");
    spec.setVshard(vshard);
    spec.setSourceNode("demo-node-0");
    spec.setTargetNode("demo-node-3");
    if (edit != null) {
      edit.accept(spec);
    }
    m.setSpec(spec);
    client.resource(m).create();
  }

  private static VShardMigration awaitPhase(String name, MigrationPhase phase) {
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
      VShardMigration m = get(name);
      assertThat(m.getStatus()).isNotNull();
      assertThat(m.getStatus().getPhase()).isEqualTo(phase);
    });
    return get(name);
  }

  private static VShardMigration get(String name) {
    return client.resources(VShardMigration.class).inNamespace("default").withName(name).get();
  }

  private static List<Event> eventsOf(String name) {
    return client.v1().events().inNamespace("default").list().getItems().stream()
        .filter(e -> name.equals(e.getInvolvedObject().getName())).toList();
  }

  private static Pod pod(String name, int i) {
    return new PodBuilder().withNewMetadata().withName(name).withUid("uid-" + name)
        .addToLabels(ClusterDiscovery.NAME_LABEL, ClusterDiscovery.NODE_APP)
        .addToLabels(ClusterDiscovery.INSTANCE_LABEL, "demo").endMetadata()
        .withNewSpec().addNewContainer().withName("node").addNewPort().withName("admin").withContainerPort(8081).endPort()
        .addNewPort().withName("http").withContainerPort(8080).endPort().endContainer().endSpec()
        .withNewStatus().withPodIP("127.0.0." + (i + 1)).withPhase("Running")
        .addNewCondition().withType("Ready").withStatus("True").endCondition()
        .addNewContainerStatus().withName("node").withRestartCount(0).endContainerStatus().endStatus()
        .build();
  }
}
