package dev.vshard.testsupport.pods;

import dev.vshard.testsupport.node.NodeEvent;
import dev.vshard.testsupport.node.NodeListener;
import dev.vshard.testsupport.node.NodeProcess;
import dev.vshard.testsupport.node.NodeProcessCluster;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.PodResource;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mirrors a {@link NodeProcessCluster} into an API server the way a StatefulSet would look to the
 * operator: one Pod per node (see {@link NodePods}), Ready when {@code /readyz} answers,
 * {@code restartCount} + 1 on a restart, a new Pod with a new uid when the node's data was wiped,
 * deleted when the node is removed; and the admin-token Secret the nodes' token file stands for.
 */
public final class PodRegistrar implements NodeListener {

  private static final Logger LOG = LoggerFactory.getLogger(PodRegistrar.class);

  private final KubernetesClient client;
  private final String namespace;
  private final String clusterId;
  private final Clock clock;
  /** node id -> when its current JVM started (for state.running.startedAt) */
  private final Map<String, Instant> startedAt = new HashMap<>();

  private PodRegistrar(KubernetesClient client, String namespace, String clusterId, Clock clock) {
    this.client = client;
    this.namespace = namespace;
    this.clusterId = clusterId;
    this.clock = clock;
  }

  /**
   * Creates the Secret {@code <cluster>-admin-token} (key {@code token}), registers every running node
   * as a Pod and keeps the Pods in step with the nodes from now on.
   */
  public static PodRegistrar register(NodeProcessCluster cluster, KubernetesClient client, String namespace) {
    PodRegistrar registrar = new PodRegistrar(client, namespace, cluster.clusterId(), Clock.systemUTC());
    registrar.createAdminTokenSecret(cluster.adminToken());
    cluster.addListener(registrar);
    return registrar;
  }

  public static String adminTokenSecretName(String clusterId) {
    return clusterId + "-admin-token";
  }

  public String namespace() {
    return namespace;
  }

  @Override
  public synchronized void on(NodeEvent event, NodeProcess node) {
    Instant now = clock.instant();
    switch (event) {
      case STARTED, REPLACED -> recreate(node, now);
      case RESTARTED -> {
        startedAt.put(node.id(), now);
        editStatus(node, previous -> NodePods.running(node, now, false, previous, now));
      }
      case READY -> editStatus(node, previous -> NodePods.running(node, startedAt.getOrDefault(node.id(), now), true, previous, now));
      case KILLED -> editStatus(node, previous -> NodePods.terminated(node, 137, "Error", previous, now));
      case STOPPED -> editStatus(node, previous -> NodePods.terminated(node, 143, "Completed", previous, now));
      case REMOVED -> pod(node).withGracePeriod(0).delete();
      default -> throw new IllegalArgumentException("unhandled node event " + event);
    }
    LOG.debug("pod {} after {}", node.id(), event);
  }

  /** A new Pod object (new uid), as when a StatefulSet pod is deleted and created again. */
  private void recreate(NodeProcess node, Instant now) {
    startedAt.put(node.id(), now);
    pod(node).withGracePeriod(0).delete();
    Pod pod = NodePods.newPod(clusterId, namespace, node, now);
    PodStatus status = pod.getStatus();
    Pod created = client.pods().inNamespace(namespace).resource(pod).create();
    // a real API server ignores status on create; write it through the status subresource either way
    client.pods().inNamespace(namespace).resource(new PodBuilder(created).withStatus(status).build()).updateStatus();
  }

  private void editStatus(NodeProcess node, java.util.function.UnaryOperator<PodStatus> change) {
    Pod current = pod(node).get();
    if (current == null) {
      throw new IllegalStateException("pod " + namespace + "/" + node.id() + " is not registered; was the registrar attached before the node started?");
    }
    client.pods().inNamespace(namespace).resource(new PodBuilder(current).withStatus(change.apply(current.getStatus())).build())
        .updateStatus();
  }

  private PodResource pod(NodeProcess node) {
    return client.pods().inNamespace(namespace).withName(node.id());
  }

  private void createAdminTokenSecret(String token) {
    Secret secret = new SecretBuilder()
        .withNewMetadata().withName(adminTokenSecretName(clusterId)).withNamespace(namespace)
          .addToLabels(NodePods.INSTANCE_LABEL, clusterId).addToLabels(NodePods.NAME_LABEL, NodePods.NAME_VALUE)
        .endMetadata()
        .withType("Opaque")
        .addToData("token", Base64.getEncoder().encodeToString(token.getBytes(StandardCharsets.UTF_8)))
        .build();
    client.secrets().inNamespace(namespace).resource(secret).createOr(existing -> existing.update());
  }
}
