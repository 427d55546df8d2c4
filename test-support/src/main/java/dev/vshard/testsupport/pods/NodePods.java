package dev.vshard.testsupport.pods;

import dev.vshard.testsupport.node.NodeProcess;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The Pod a node process is registered as: exactly what the operator reads (DESIGN.md, "Contract":
 * name, uid, labels, named container ports, {@code status.podIP}, phase, Ready condition,
 * {@code containerStatuses[0].restartCount}), shaped like a StatefulSet pod.
 */
public final class NodePods {

  public static final String NAME_LABEL = "app.kubernetes.io/name";
  public static final String NAME_VALUE = "vshard-node";
  public static final String INSTANCE_LABEL = "app.kubernetes.io/instance";
  public static final String CONTAINER = "node";
  public static final String IMAGE = "vshard-node:local";

  private NodePods() {}

  /** Labels that select a cluster's node pods. */
  public static Map<String, String> selector(String clusterId) {
    return Map.of(NAME_LABEL, NAME_VALUE, INSTANCE_LABEL, clusterId);
  }

  /** A new Pod (fresh uid) for a node that was just launched and is not ready yet. */
  static Pod newPod(String clusterId, String namespace, NodeProcess node, Instant now) {
    return new PodBuilder()
        .withNewMetadata().withName(node.id()).withNamespace(namespace).withUid(UUID.randomUUID().toString())
          .addToLabels(selector(clusterId))
          .addToLabels("statefulset.kubernetes.io/pod-name", node.id())
          .addToLabels("apps.kubernetes.io/pod-index", String.valueOf(node.ordinal()))
        .endMetadata()
        .withNewSpec().withHostname(node.id()).withRestartPolicy("Always")
          .addNewContainer().withName(CONTAINER).withImage(IMAGE)
            .addNewPort().withName("http").withContainerPort(node.ports().http()).withProtocol("TCP").endPort()
            .addNewPort().withName("admin").withContainerPort(node.ports().admin()).withProtocol("TCP").endPort()
            .addNewPort().withName("raft").withContainerPort(node.ports().raft()).withProtocol("TCP").endPort()
          .endContainer()
        .endSpec()
        .withStatus(running(node, now, false, null, now))
        .build();
  }

  /** Status of a node whose current JVM runs (ready or not yet), keeping the Ready transition time when unchanged. */
  static PodStatus running(NodeProcess node, Instant startedAt, boolean ready, PodStatus previous, Instant now) {
    ContainerStatus container = new ContainerStatusBuilder().withName(CONTAINER).withImage(IMAGE).withImageID("")
        .withContainerID(containerId(node)).withReady(ready).withStarted(true).withRestartCount(node.restartCount())
        .withState(new ContainerStateBuilder().withNewRunning().withStartedAt(startedAt.toString()).endRunning().build())
        .withLastState(lastState(previous))
        .build();
    return status(node, previous, now, ready, container);
  }

  /** Status of a node whose JVM exited (killed or stopped): not ready, container terminated. */
  static PodStatus terminated(NodeProcess node, int exitCode, String reason, PodStatus previous, Instant now) {
    ContainerStatus container = new ContainerStatusBuilder().withName(CONTAINER).withImage(IMAGE).withImageID("")
        .withContainerID(previousContainerId(previous)).withReady(false).withStarted(false).withRestartCount(node.restartCount())
        .withState(new ContainerStateBuilder().withNewTerminated().withExitCode(exitCode).withReason(reason)
            .withFinishedAt(now.toString()).endTerminated().build())
        .withLastState(lastState(previous))
        .build();
    return status(node, previous, now, false, container);
  }

  private static PodStatus status(NodeProcess node, PodStatus previous, Instant now, boolean ready, ContainerStatus container) {
    return new PodStatusBuilder().withPhase("Running").withPodIP(node.host()).addNewPodIP().withIp(node.host()).endPodIP()
        .withHostIP("127.0.0.1").withStartTime(previous != null && previous.getStartTime() != null ? previous.getStartTime() : now.toString())
        .withConditions(
            condition("PodScheduled", true, previous, now),
            condition("Initialized", true, previous, now),
            condition("ContainersReady", ready, previous, now),
            condition("Ready", ready, previous, now))
        .withContainerStatuses(container)
        .build();
  }

  /** Kubernetes semantics: lastTransitionTime moves only when the condition's status flips. */
  private static PodCondition condition(String type, boolean value, PodStatus previous, Instant now) {
    String status = value ? "True" : "False";
    String since = now.toString();
    if (previous != null && previous.getConditions() != null) {
      for (PodCondition old : previous.getConditions()) {
        if (type.equals(old.getType()) && status.equals(old.getStatus()) && old.getLastTransitionTime() != null) {
          since = old.getLastTransitionTime();
        }
      }
    }
    return new PodConditionBuilder().withType(type).withStatus(status).withLastTransitionTime(since).build();
  }

  /** After a restart the previous container's termination shows as lastState, as the kubelet reports it. */
  private static io.fabric8.kubernetes.api.model.ContainerState lastState(PodStatus previous) {
    List<ContainerStatus> statuses = previous == null ? List.of() : previous.getContainerStatuses();
    if (statuses == null || statuses.isEmpty() || statuses.get(0).getState() == null) {
      return new ContainerStateBuilder().build();
    }
    ContainerStatus old = statuses.get(0);
    return old.getState().getTerminated() != null ? old.getState() : old.getLastState();
  }

  private static String containerId(NodeProcess node) {
    return "local://" + node.pid().orElse(0);
  }

  private static String previousContainerId(PodStatus previous) {
    return previous == null || previous.getContainerStatuses() == null || previous.getContainerStatuses().isEmpty()
        ? "" : previous.getContainerStatuses().get(0).getContainerID();
  }
}
