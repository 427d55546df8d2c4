package dev.vshard.helm;

import dev.vshard.operator.OperatorSettings;
import dev.vshard.operator.model.VShardMigration;
import dev.vshard.operator.model.VShardMigrationSpec;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Runs the real operator with the settings the chart's Deployment gives it, against a recording
 * mock API server holding what the chart installs (CRD, admin-token Secret, node pods as the
 * StatefulSet creates them; the nodes themselves are unreachable), and checks that every request it
 * made is allowed by the chart's RBAC and that its probes answer where the chart points them.
 */
class OperatorRunTest {

  private static final String OPERATOR_POD = "demo-operator-5d9c7-x2x4q";
  private static final Path TARGET = Chart.dir().getParent().resolve("target");
  private static final Map<String, Integer> PROBE_ANSWERS = new ConcurrentHashMap<>();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private static Rendered rendered;
  private static OperatorRbac rbac;
  private static RecordingApiServer api;
  private static OperatorProcess operator;
  private static List<ApiCall> calls;
  private static int operatorPort;

  @BeforeAll
  static void runOperatorThroughMigrationsThatExerciseEveryPath() throws Exception {
    // node ports nothing listens on, so every call to a node fails fast
    rendered = Chart.render("nodes:\n  ports:\n    http: " + closedPort() + "\n    admin: " + closedPort() + "\n");
    rbac = OperatorRbac.of(rendered, "demo-operator", Chart.NAMESPACE);
    api = new RecordingApiServer(rbac::resourceRulesIn);
    installWhatHelmInstalls();
    api.clearRequests();

    Map<String, String> env = new HashMap<>(operatorEnvironment());
    OperatorSettings settings = OperatorSettings.fromEnv(env);
    assertThat(settings.port()).as("VSHARD_OPERATOR_PORT vs container port http").isEqualTo(operatorContainerPort("http"));
    assertThat(settings.podNamespace()).isEqualTo(Chart.NAMESPACE);
    assertThat(settings.leaderElection()).isTrue();
    // what the kubelet adds; and a free port instead of 8080, which a test node on this machine may hold
    operatorPort = closedPort();
    env.put("VSHARD_OPERATOR_PORT", String.valueOf(operatorPort));
    env.put("HOSTNAME", OPERATOR_POD);
    env.putAll(api.clientEnvironment());
    operator = OperatorProcess.start(env, TARGET.resolve("operator-run.log"));
    await().atMost(Duration.ofMinutes(2)).failFast("the operator process ended", () -> !operator.isAlive())
        .until(() -> get("/readyz") == 200);
    get("/healthz");

    KubernetesClient kubectl = api.client();
    kubectl.resource(migration("expires", "nowhere", "nowhere-node-0", 0)).create();
    kubectl.resource(migration("cancelled", "demo", "demo-node-0", null)).create();
    await().atMost(Duration.ofMinutes(2)).untilAsserted(() ->
        assertThat(kubectl.resources(VShardMigration.class).withName("expires").get()).as("deleted by its TTL").isNull());
    await().atMost(Duration.ofMinutes(2)).untilAsserted(() -> {
      VShardMigration cancelled = kubectl.resources(VShardMigration.class).withName("cancelled").get();
      assertThat(cancelled.getMetadata().getFinalizers()).isNotEmpty();
      assertThat(cancelled.getStatus()).isNotNull();
    });
    kubectl.resources(VShardMigration.class).withName("cancelled").delete();
    await().atMost(Duration.ofMinutes(2)).untilAsserted(() ->
        assertThat(kubectl.resources(VShardMigration.class).withName("cancelled").get()).as("finalizer released").isNull());
    await().atMost(Duration.ofMinutes(1)).until(() -> parsedCalls().stream()
        .anyMatch(c -> c.access().resource().equals("leases") && c.access().verb().equals("patch")));
    calls = parsedCalls();
  }

  @AfterAll
  static void stop() throws Exception {
    if (api != null) {
      Files.write(TARGET.resolve("operator-run-requests.txt"), api.programRequests());
    }
    if (operator != null) {
      operator.close();
    }
    if (api != null) {
      api.close();
    }
  }

  @Test
  void everyRequestTheOperatorMadeIsAllowedByTheChartsRbac() {
    assertThat(calls).isNotEmpty();
    List<ApiCall> denied = calls.stream().filter(c -> !grantedToEveryAuthenticatedUser(c))
        .filter(c -> !rbac.allows(c.namespace(), c.access(), c.name())).toList();
    assertThat(denied).as("requests the chart's RBAC would deny").isEmpty();
  }

  @Test
  void theRunExercisedTheOperatorsMainPathsAndNothingTheSourceScanMissed() {
    Set<ApiAccess> used = new TreeSet<>();
    calls.stream().filter(c -> !grantedToEveryAuthenticatedUser(c)).forEach(c -> used.add(c.access()));
    assertThat(used).contains(
        new ApiAccess("", "pods", "list"), new ApiAccess("", "secrets", "get"), new ApiAccess("", "events", "create"),
        new ApiAccess("vshard.dev", "vshardmigrations", "watch"), new ApiAccess("vshard.dev", "vshardmigrations", "patch"),
        new ApiAccess("vshard.dev", "vshardmigrations", "delete"),
        new ApiAccess("vshard.dev", "vshardmigrations/status", "patch"),
        new ApiAccess("coordination.k8s.io", "leases", "create"), new ApiAccess("coordination.k8s.io", "leases", "patch"));
    assertThat(OperatorApiUsage.of(SourceTree.ofModule("operator")).accesses())
        .as("access derived from the operator's sources covers what the run did").containsAll(used);
  }

  @Test
  void probesAnsweredOnThePathsTheChartUses() {
    Deployment deployment = rendered.one(Deployment.class, "demo-operator");
    var container = Workloads.container(deployment.getSpec().getTemplate());
    for (Probe probe : List.of(container.getStartupProbe(), container.getLivenessProbe(), container.getReadinessProbe())) {
      assertThat(probe.getHttpGet().getPort().getStrVal()).isEqualTo("http");
      assertThat(PROBE_ANSWERS).as("answers while the operator ran").containsEntry(probe.getHttpGet().getPath(), 200);
    }
  }

  /** GET on the operator's HTTP port; remembered for {@link #probesAnsweredOnThePathsTheChartUses}. */
  private static int get(String path) {
    int status;
    try {
      status = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + operatorPort + path)).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      status = -1;  // not listening yet
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    PROBE_ANSWERS.put(path, status);
    return status;
  }

  /** JOSDK checks its Lease permissions with a SelfSubjectRulesReview, which every authenticated user may create. */
  private static boolean grantedToEveryAuthenticatedUser(ApiCall call) {
    return call.access().group().equals("authorization.k8s.io") && call.access().resource().equals("selfsubjectrulesreviews");
  }

  private static List<ApiCall> parsedCalls() {
    return api.programRequests().stream().map(r -> r.split(" ", 2))
        .flatMap(r -> ApiCall.parse(r[0], r[1]).stream()).toList();
  }

  private static void installWhatHelmInstalls() {
    KubernetesClient kubectl = api.client();
    kubectl.resource(CrdInChartTest.crd()).create();
    kubectl.resource(rendered.one(Secret.class, "demo-admin-token")).create();
    StatefulSet nodes = rendered.one(StatefulSet.class, "demo-node");
    for (int ordinal = 0; ordinal < nodes.getSpec().getReplicas(); ordinal++) {
      kubectl.resource(podOf(nodes, ordinal)).create();
    }
  }

  /** A running pod as the StatefulSet controller and kubelet would report it. */
  private static Pod podOf(StatefulSet nodes, int ordinal) {
    return new PodBuilder()
        .withNewMetadata().withName(nodes.getMetadata().getName() + "-" + ordinal).withNamespace(Chart.NAMESPACE)
        .withUid(UUID.randomUUID().toString()).withLabels(nodes.getSpec().getTemplate().getMetadata().getLabels()).endMetadata()
        .withSpec(nodes.getSpec().getTemplate().getSpec())
        .withNewStatus().withPhase("Running").withPodIP("127.0.0.1")
        .addNewCondition().withType("Ready").withStatus("True").endCondition()
        .withContainerStatuses(new ContainerStatusBuilder().withName("node").withRestartCount(0).withReady(true).build())
        .endStatus().build();
  }

  private static VShardMigration migration(String name, String cluster, String source, Integer ttl) {
    VShardMigrationSpec spec = new VShardMigrationSpec();
    spec.setCluster(cluster);
    spec.setVshard(1);
    spec.setSourceNode(source);
    spec.setTargetNode(cluster + "-node-3");
    spec.setTtlSecondsAfterFinished(ttl);
    VShardMigration migration = new VShardMigration();
    migration.getMetadata().setName(name);
    migration.getMetadata().setNamespace(Chart.NAMESPACE);
    migration.setSpec(spec);
    return migration;
  }

  private static Map<String, String> operatorEnvironment() {
    Deployment deployment = rendered.one(Deployment.class, "demo-operator");
    return PodEnvironment.resolve(deployment.getSpec().getTemplate(), OPERATOR_POD, Chart.NAMESPACE);
  }

  private static int operatorContainerPort(String name) {
    Deployment deployment = rendered.one(Deployment.class, "demo-operator");
    return Workloads.container(deployment.getSpec().getTemplate()).getPorts().stream()
        .filter(p -> name.equals(p.getName())).map(ContainerPort::getContainerPort).findFirst().orElseThrow();
  }

  private static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
