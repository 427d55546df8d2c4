package dev.vshard.operator.it;

import dev.vshard.operator.OperatorRunner;
import dev.vshard.operator.OperatorSettings;
import dev.vshard.operator.migration.MigrationPhase;
import dev.vshard.operator.migration.MigrationSettings;
import dev.vshard.operator.model.VShardMigration;
import dev.vshard.operator.model.VShardMigrationSpec;
import dev.vshard.operator.node.HttpNodeAdmin;
import dev.vshard.testsupport.kube.EmbeddedKubernetes;
import dev.vshard.testsupport.node.NodeProcess;
import dev.vshard.testsupport.node.NodeProcessCluster;
import dev.vshard.testsupport.pods.PodRegistrar;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The real parts an operator integration test needs: the fabric8 mock API server (CRUD mode, via
 * test-support's EmbeddedKubernetes) with the generated CRD, a node cluster of real node processes
 * (three initial members and one that joined, so it holds nothing) registered as Pods, and operators
 * started in-process on demand. One per test class.
 */
final class OperatorTestBed implements AutoCloseable, org.junit.jupiter.api.extension.ExtensionContext.Store.CloseableResource {

  static final String CLUSTER = "itc";
  /** The voters of every vShard the ITs start from: the three initial members (RF 3). */
  static final java.util.List<String> INITIAL_VOTERS = java.util.List.of(nodeId(0), nodeId(1), nodeId(2));
  static final String NS = EmbeddedKubernetes.DEFAULT_NAMESPACE;
  static final Duration PATIENCE = Duration.ofMinutes(3);

  static final int VSHARDS = 12;
  /** Generous: the guarantee is tested, not the speed, and two shared cores make the node's estimate large. */
  static final String BUDGET = "30s";

  static final MigrationSettings NORMAL = new MigrationSettings(5, 2, Duration.ofMillis(500), Duration.ofMillis(500),
      Duration.ofSeconds(1));
  /** Keeps a migration in WalCatchUp: it never sees enough observations within the threshold. */
  static final MigrationSettings STAYS_IN_CATCH_UP = new MigrationSettings(5, Integer.MAX_VALUE, Duration.ofMillis(500),
      Duration.ofMillis(500), Duration.ofSeconds(1));
  /** Looks again only after 10 minutes once BaseCopy began: stopping it then stops it in BaseCopy. */
  static final MigrationSettings PARKS_IN_BASE_COPY = new MigrationSettings(5, 2, Duration.ofMinutes(10),
      Duration.ofMinutes(10), Duration.ofSeconds(1));
  /** Polls the cut-over job only after 10 minutes: stopping it then stops it in AtomicCutOver. */
  static final MigrationSettings PARKS_IN_CUT_OVER = new MigrationSettings(5, 2, Duration.ofMillis(500),
      Duration.ofMinutes(10), Duration.ofSeconds(1));

  private boolean closed;

  final EmbeddedKubernetes kube;
  final KubernetesClient client;
  final NodeProcessCluster nodes;
  final NodeHttp http;

  OperatorTestBed() {
    this(VSHARDS);
  }

  OperatorTestBed(int vshards) {
    kube = EmbeddedKubernetes.start();
    NodeProcessCluster started = null;
    try {
      client = kube.client();
      try (InputStream crd = OperatorTestBed.class.getResourceAsStream("/META-INF/fabric8/vshardmigrations.vshard.dev-v1.yml")) {
        kube.applyCrd(crd);
      }
      // node logs and data stay in target/ after the run, for diagnosis
      java.nio.file.Path workDir = java.nio.file.Files.createTempDirectory(
          java.nio.file.Files.createDirectories(java.nio.file.Path.of("target").toAbsolutePath()), "it-nodes-");
      started = NodeProcessCluster.builder().clusterId(CLUSTER).nodes(3).vshards(vshards).replicationFactor(3)
          .workDir(workDir).nodeJar(privateNodeJar(workDir)).startAndAwaitReady();
      PodRegistrar.register(started, client, NS);
      started.addJoiningNode().awaitReady();
      nodes = started;
      http = new NodeHttp(nodes.adminToken());
      await().atMost(PATIENCE).untilAsserted(() ->
          assertThat(http.routing(node(0)).path("nodes").has(nodeId(3))).as("node 3 joined the directory").isTrue());
      await().atMost(PATIENCE).untilAsserted(() -> assertThat(client.pods().inNamespace(NS).list().getItems())
          .hasSize(4).allSatisfy(p -> assertThat(p.getStatus().getConditions())
              .anySatisfy(c -> assertThat(c.getType() + c.getStatus()).isEqualTo("ReadyTrue"))));
    } catch (java.io.IOException e) {
      close(started);
      throw new UncheckedIOException(e);
    } catch (RuntimeException | Error e) {
      close(started);
      throw e;
    }
  }

  /**
   * A copy of node-image's shaded jar: nodes started from the reactor's class folders break with
   * NoClassDefFoundError when node-image is recompiled while they run.
   */
  private static java.nio.file.Path privateNodeJar(java.nio.file.Path workDir) throws java.io.IOException {
    java.nio.file.Path built = java.nio.file.Path.of(System.getProperty("vshard.node.jar", "../node-image/target/vshard-node.jar")).toAbsolutePath();
    if (!java.nio.file.Files.isRegularFile(built)) {
      throw new IllegalStateException(built + " is missing: build it with mvn -pl node-image -am -DskipTests package");
    }
    return java.nio.file.Files.copy(built, workDir.resolve("vshard-node.jar"));
  }

  private void close(NodeProcessCluster started) {
    if (started != null) {
      started.close();
    }
    kube.close();
  }

  NodeProcess node(int ordinal) {
    return nodes.node(ordinal);
  }

  static String nodeId(int ordinal) {
    return CLUSTER + "-node-" + ordinal;
  }

  OperatorRunner startOperator(MigrationSettings settings, int maxPerCluster, Integer defaultTtl) {
    return OperatorRunner.start(kube.client(), OperatorSettings.inProcess().withMaxConcurrentPerCluster(maxPerCluster)
        .withDefaultTtlSeconds(defaultTtl), HttpNodeAdmin.factory(), settings, Clock.systemUTC());
  }

  VShardMigration create(String name, int vshard, int source, int target, Consumer<VShardMigrationSpec> edit) {
    VShardMigration m = new VShardMigration();
    m.getMetadata().setName(name);
    m.getMetadata().setNamespace(NS);
    VShardMigrationSpec spec = new VShardMigrationSpec();
    spec.setCluster(CLUSTER);
    spec.setVshard(vshard);
    spec.setSourceNode(nodeId(source));
    spec.setTargetNode(nodeId(target));
    spec.setWritePauseBudget(BUDGET);
    if (edit != null) {
      edit.accept(spec);
    }
    m.setSpec(spec);
    return client.resource(m).create();
  }

  VShardMigration get(String name) {
    return client.resources(VShardMigration.class).inNamespace(NS).withName(name).get();
  }

  VShardMigration awaitPhase(String name, MigrationPhase phase) {
    await().atMost(PATIENCE).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
      VShardMigration m = get(name);
      assertThat(m).as(name + " exists").isNotNull();
      assertThat(m.getStatus()).as(name + " has a status").isNotNull();
      assertThat(m.getStatus().getPhase()).as(name + ": " + m.getStatus().getMessage()).isEqualTo(phase);
    });
    return get(name);
  }

  void deleteAndAwaitGone(String name) {
    client.resources(VShardMigration.class).inNamespace(NS).withName(name).delete();
    await().atMost(PATIENCE).until(() -> get(name) == null);
  }

  List<Event> events(String name) {
    return client.v1().events().inNamespace(NS).list().getItems().stream()
        .filter(e -> name.equals(e.getInvolvedObject().getName())).toList();
  }

  /** vShard v has exactly the given voters, no listeners and no hold, as node 0 sees the routing table. */
  void assertPlacement(int vshard, List<String> voters) {
    await().atMost(PATIENCE).untilAsserted(() -> {
      var shard = http.shard(node(0), vshard);
      List<String> actual = new java.util.ArrayList<>();
      shard.path("voters").forEach(n -> actual.add(n.asText()));
      assertThat(actual).containsExactlyInAnyOrderElementsOf(voters);
      assertThat(shard.path("listeners")).isEmpty();
      assertThat(shard.path("migrationId").isNull()).as("no hold on vShard " + vshard).isTrue();
    });
  }

  /** The routing table's epoch and holds: what a refused migration must leave untouched. */
  String routingFingerprint() {
    var routing = http.routing(node(0));
    StringBuilder out = new StringBuilder("epoch=" + routing.path("epoch").asLong());
    routing.path("shards").forEach(s -> out.append(' ').append(s.path("vshard").asInt()).append(':')
        .append(s.path("voters")).append(s.path("listeners")).append(s.path("migrationId").asText("-")));
    return out.toString();
  }

  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      close(nodes);
    }
  }
}
