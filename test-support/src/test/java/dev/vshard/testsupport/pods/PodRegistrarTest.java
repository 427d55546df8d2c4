package dev.vshard.testsupport.pods;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vshard.testsupport.kube.EmbeddedKubernetes;
import dev.vshard.testsupport.kube.Kubectl;
import dev.vshard.testsupport.node.NodeProcess;
import dev.vshard.testsupport.node.NodeProcessCluster;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real node JVMs registered as Pods in the embedded API: the exact fields the operator reads, and how
 * they follow kill, restart, wipe-and-replace, a joining node and close. One cluster for the class.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PodRegistrarTest {

  private static final Duration GENEROUS = Duration.ofMinutes(3);

  @TempDir
  static Path temp;

  private static EmbeddedKubernetes kubernetes;
  private static KubernetesClient client;
  private static NodeProcessCluster cluster;
  private static final List<Long> pidsSeen = new ArrayList<>();

  @BeforeAll
  static void start() {
    kubernetes = EmbeddedKubernetes.start();
    client = kubernetes.client();
    cluster = NodeProcessCluster.builder().nodes(3).vshards(4).replicationFactor(3).start();
    PodRegistrar.register(cluster, client, "default");
    cluster.awaitReady();
    cluster.nodes().forEach(node -> pidsSeen.add(node.pid().orElseThrow()));
  }

  @AfterAll
  static void stop() {
    cluster.close();
    kubernetes.close();
  }

  @Test
  @Order(1)
  void everyNodeIsAPodWithWhatTheOperatorReads() throws Exception {
    List<Pod> pods = client.pods().inNamespace("default").withLabels(NodePods.selector(cluster.clusterId())).list().getItems();

    assertThat(pods).extracting(pod -> pod.getMetadata().getName())
        .containsExactlyInAnyOrder(cluster.clusterId() + "-node-0", cluster.clusterId() + "-node-1", cluster.clusterId() + "-node-2");
    for (NodeProcess node : cluster.nodes()) {
      // the registrar flips Ready when its own probe of /readyz succeeds, which may trail awaitReady()
      Pod pod = awaitPod(node, p -> "True".equals(ready(p)));
      assertThat(pod.getMetadata().getUid()).isNotBlank();
      assertThat(pod.getMetadata().getLabels()).containsEntry("app.kubernetes.io/name", "vshard-node")
          .containsEntry("app.kubernetes.io/instance", cluster.clusterId());
      assertThat(pod.getSpec().getContainers().get(0).getPorts()).extracting(ContainerPort::getName, ContainerPort::getContainerPort)
          .containsExactly(org.assertj.core.groups.Tuple.tuple("http", 8080), org.assertj.core.groups.Tuple.tuple("admin", 8081),
              org.assertj.core.groups.Tuple.tuple("raft", 9870));
      assertThat(pod.getStatus().getPodIP()).isEqualTo(node.host()).startsWith("127.");
      assertThat(pod.getStatus().getPhase()).isEqualTo("Running");
      assertThat(ready(pod)).isEqualTo("True");
      assertThat(pod.getStatus().getContainerStatuses().get(0).getRestartCount()).isZero();
      // the pod's address really is the node: its data API answers there
      assertThat(get(URI.create("http://" + pod.getStatus().getPodIP() + ":8080/readyz"))).isEqualTo(200);
    }
    assertThat(cluster.nodes()).extracting(NodeProcess::host).doesNotHaveDuplicates();
  }

  @Test
  @Order(2)
  void theAdminTokenSecretHoldsTheTokenTheNodesRead() throws Exception {
    Secret secret = client.secrets().inNamespace("default").withName(cluster.clusterId() + "-admin-token").get();

    String token = new String(Base64.getDecoder().decode(secret.getData().get("token")), StandardCharsets.UTF_8);
    assertThat(token).isEqualTo(cluster.adminToken()).isEqualTo(Files.readString(cluster.settings().adminTokenFile()));
  }

  @Test
  @Order(3)
  void killMarksThePodNotReadyAndStartBumpsTheRestartCount() {
    NodeProcess node = cluster.node(1);
    String uid = pod(node).getMetadata().getUid();
    long pid = node.pid().orElseThrow();

    assertThat(node.kill()).isEqualTo(137);

    assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).isEmpty();
    Pod down = pod(node);
    assertThat(ready(down)).isEqualTo("False");
    assertThat(down.getStatus().getContainerStatuses().get(0).getState().getTerminated().getExitCode()).isEqualTo(137);

    node.start().awaitReady();
    pidsSeen.add(node.pid().orElseThrow());

    Pod back = awaitPod(node, pod -> "True".equals(ready(pod)));
    assertThat(back.getMetadata().getUid()).isEqualTo(uid);
    assertThat(back.getStatus().getContainerStatuses().get(0).getRestartCount()).isEqualTo(1);
    assertThat(back.getStatus().getContainerStatuses().get(0).getLastState().getTerminated().getExitCode()).isEqualTo(137);
  }

  @Test
  @Order(4)
  void aJoiningNodeIsRegisteredAndKubectlListsThePods() {
    NodeProcess joiner = cluster.addJoiningNode().awaitReady();
    pidsSeen.add(joiner.pid().orElseThrow());

    assertThat(joiner.id()).isEqualTo(cluster.clusterId() + "-node-3");
    assertThat(ready(awaitPod(joiner, pod -> "True".equals(ready(pod))))).isEqualTo("True");

    Kubectl kubectl = new Kubectl(kubernetes.writeKubeconfig(temp.resolve("kubeconfig")), temp.resolve("cache"));
    Kubectl.Result pods = kubectl.run(Duration.ofSeconds(60), "get", "pods", "-o", "wide", "-l", "app.kubernetes.io/instance=" + cluster.clusterId());
    assertThat(pods.exitCode()).as(pods.describe()).isZero();
    assertThat(pods.stdout()).contains("RESTARTS").contains(joiner.id()).contains(joiner.host());
  }

  @Test
  @Order(5)
  void wipeAndReplaceCreatesANewPodWithAnEmptyDataDirectory() throws Exception {
    // the joined node. Whether a node started on an empty volume gets ready again is the node store's
    // contract, not this module's: here we check what the operator sees at once — a new Pod
    NodeProcess node = cluster.node(3);
    String uid = pod(node).getMetadata().getUid();
    long oldPid = node.pid().orElseThrow();
    Path marker = Files.writeString(node.dataDir().resolve("marker-from-the-old-pod"), "x");

    node.wipeAndReplace();
    pidsSeen.add(node.pid().orElseThrow());

    assertThat(ProcessHandle.of(oldPid).filter(ProcessHandle::isAlive)).isEmpty();
    assertThat(node.pid().orElseThrow()).isNotEqualTo(oldPid);
    assertThat(marker).doesNotExist();
    Pod replaced = pod(node);
    assertThat(replaced.getMetadata().getUid()).isNotEqualTo(uid);
    assertThat(replaced.getStatus().getContainerStatuses().get(0).getRestartCount()).isZero();
    assertThat(replaced.getStatus().getPodIP()).isEqualTo(node.host());
  }

  @Test
  @Order(6)
  void closeLeavesNoProcessAndDeletesThePods() {
    Path workDir = cluster.settings().workDir();

    cluster.close();

    assertThat(pidsSeen).allSatisfy(pid -> assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse());
    assertThat(client.pods().inNamespace("default").withLabels(NodePods.selector(cluster.clusterId())).list().getItems()).isEmpty();
    assertThat(workDir).doesNotExist();
  }

  private static Pod pod(NodeProcess node) {
    return client.pods().inNamespace("default").withName(node.id()).get();
  }

  private static Pod awaitPod(NodeProcess node, Predicate<Pod> condition) {
    return await().atMost(GENEROUS).until(() -> pod(node), pod -> pod != null && condition.test(pod));
  }

  private static String ready(Pod pod) {
    return pod.getStatus().getConditions().stream().filter(c -> "Ready".equals(c.getType())).map(PodCondition::getStatus)
        .findFirst().orElse("missing");
  }

  private static int get(URI uri) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }
}
