package dev.vshard.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vshard.operator.migration.FakeNodeAdmin;
import dev.vshard.operator.migration.MigrationPhase;
import dev.vshard.operator.model.VShardMigration;
import dev.vshard.operator.model.VShardMigrationSpec;
import dev.vshard.operator.node.ClusterDiscovery;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The fabric8 CRUD mock as the API server of reconciler tests: the CRD, node cluster "demo" (4 pods and its
 * admin token Secret in namespace default) and migrations. Nodes are a FAKE ({@link FakeNodeAdmin}).
 */
final class MockApiFixture {
  static final String NS = "default";

  private final KubernetesClient client;

  MockApiFixture(KubernetesClient client) {
    this.client = client;
  }

  /** Installs the CRD and the pods of cluster "demo"; the fake holds vShards 0..7 on nodes 0, 1 and 2. */
  void installClusterOf(FakeNodeAdmin nodes) {
    try (InputStream crd = MockApiFixture.class.getResourceAsStream("/META-INF/fabric8/vshardmigrations.vshard.dev-v1.yml")) {
      client.apiextensions().v1().customResourceDefinitions().load(crd).create();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    for (int i = 0; i < 4; i++) {
      client.pods().inNamespace(NS).resource(pod("demo-node-" + i, i)).create();
      nodes.directory.add("demo-node-" + i);
    }
    client.secrets().inNamespace(NS).resource(new SecretBuilder().withNewMetadata()
        .withName("demo-admin-token").endMetadata().withStringData(Map.of("token", "t0ken")).build()).create();
    for (int v = 0; v < 8; v++) {
      nodes.shard(v, "demo-node-0", "demo-node-1", "demo-node-2");
    }
    nodes.autopilot = true;
  }

  /** Creates a move of {@code vshard} from demo-node-0 to demo-node-3, edited by {@code edit}. */
  void create(String name, int vshard, Consumer<VShardMigrationSpec> edit) {
    VShardMigration m = new VShardMigration();
    m.getMetadata().setName(name);
    m.getMetadata().setNamespace(NS);
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

  VShardMigration awaitPhase(String name, MigrationPhase phase) {
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
      VShardMigration m = get(name);
      assertThat(m.getStatus()).isNotNull();
      assertThat(m.getStatus().getPhase()).isEqualTo(phase);
    });
    return get(name);
  }

  VShardMigration get(String name) {
    return client.resources(VShardMigration.class).inNamespace(NS).withName(name).get();
  }

  List<Event> eventsOf(String name) {
    return client.v1().events().inNamespace(NS).list().getItems().stream()
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
