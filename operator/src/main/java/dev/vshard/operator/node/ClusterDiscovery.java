package dev.vshard.operator.node;

import dev.vshard.operator.model.PodIdentity;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Finds a node cluster's pods and admin token exactly as docs/contract.md says: pods labelled
 * {@code app.kubernetes.io/name=vshard-node, app.kubernetes.io/instance=<cluster>}, their
 * {@code status.podIP} and named container ports, and Secret {@code <cluster>-admin-token} key {@code token}.
 */
public class ClusterDiscovery {

  public static final String NAME_LABEL = "app.kubernetes.io/name";
  public static final String INSTANCE_LABEL = "app.kubernetes.io/instance";
  public static final String NODE_APP = "vshard-node";

  private final KubernetesClient client;

  public ClusterDiscovery(KubernetesClient client) {
    this.client = client;
  }

  /** The cluster's pods, empty when no pod carries its labels. */
  public Map<String, NodeEndpoint> pods(String namespace, String cluster) {
    Map<String, NodeEndpoint> nodes = new LinkedHashMap<>();
    client.pods().inNamespace(namespace).withLabel(NAME_LABEL, NODE_APP).withLabel(INSTANCE_LABEL, cluster)
        .list().getItems().stream()
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
        .sorted(java.util.Comparator.comparing(p -> p.getMetadata().getName()))
        .forEach(p -> endpoint(p).ifPresent(e -> nodes.put(e.name(), e)));
    return nodes;
  }

  /** The admin token, or empty when the Secret or its key is missing. */
  public Optional<String> adminToken(String namespace, String cluster) {
    Secret secret = client.secrets().inNamespace(namespace).withName(cluster + "-admin-token").get();
    if (secret == null) {
      return Optional.empty();
    }
    if (secret.getData() != null && secret.getData().get("token") != null) {
      return Optional.of(new String(Base64.getDecoder().decode(secret.getData().get("token")), StandardCharsets.UTF_8).trim());
    }
    if (secret.getStringData() != null && secret.getStringData().get("token") != null) {
      return Optional.of(secret.getStringData().get("token").trim());
    }
    return Optional.empty();
  }

  /** The pod as an endpoint; empty while it has no IP or no admin port. */
  static Optional<NodeEndpoint> endpoint(Pod pod) {
    if (pod.getStatus() == null || pod.getStatus().getPodIP() == null || pod.getSpec() == null) {
      return Optional.empty();
    }
    Integer admin = namedPort(pod, "admin");
    Integer http = namedPort(pod, "http");
    if (admin == null) {
      return Optional.empty();
    }
    int restarts = pod.getStatus().getContainerStatuses() == null || pod.getStatus().getContainerStatuses().isEmpty()
        ? 0 : pod.getStatus().getContainerStatuses().get(0).getRestartCount();
    boolean ready = pod.getStatus().getConditions() != null && pod.getStatus().getConditions().stream()
        .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    PodIdentity id = new PodIdentity(pod.getMetadata().getName(), pod.getMetadata().getUid(), restarts,
        pod.getStatus().getPodIP());
    return Optional.of(new NodeEndpoint(id, admin, http == null ? 8080 : http, ready));
  }

  private static Integer namedPort(Pod pod, String name) {
    return pod.getSpec().getContainers().stream()
        .flatMap(c -> c.getPorts() == null ? java.util.stream.Stream.<ContainerPort>empty() : c.getPorts().stream())
        .filter(p -> name.equals(p.getName()))
        .map(ContainerPort::getContainerPort)
        .findFirst().orElse(null);
  }
}
