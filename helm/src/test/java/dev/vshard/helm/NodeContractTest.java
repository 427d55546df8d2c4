package dev.vshard.helm;

import dev.vshard.node.InitialMember;
import dev.vshard.node.NodeConfig;
import dev.vshard.node.NodeConfigParser;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The node StatefulSet sets exactly what the node program reads, and probes what it serves:
 * checked against the node's own sources and its own configuration parser, not a copy of the chart.
 */
class NodeContractTest {

  private static final Pattern ENV_NAME_LITERAL = Pattern.compile("\"(VSHARD_[A-Z0-9_]+)\"");
  /** Route registrations of the node's data API (Javalin): {@code app.get("/path", ...)}. */
  private static final Pattern DATA_ROUTE = Pattern.compile("app\\.get\\(\\s*\"(/[^\"]*)\"");
  /** Besides the node's own settings, only the JVM's option variable. */
  private static final Set<String> JVM_VARIABLES = Set.of("JAVA_TOOL_OPTIONS");

  private static final SourceTree NODE = SourceTree.ofModule("node-image");

  @ParameterizedTest
  @EnumSource(value = ValueSet.class, names = {"DEFAULTS", "NODES_ONLY", "CUSTOM_V_RF", "EVERYTHING_ON"})
  void everyVariableTheChartSetsIsOneTheNodeReads(ValueSet set) {
    Set<String> read = NODE.captures(ENV_NAME_LITERAL);
    assertThat(read).as("VSHARD_* names in the node's sources").contains("VSHARD_NODE_ID", "VSHARD_INITIAL_MEMBERS");
    for (String name : Workloads.env(nodes(set).getSpec().getTemplate()).keySet()) {
      if (name.startsWith("VSHARD_")) {
        assertThat(read).as("the node reads %s", name).contains(name);
      } else {
        assertThat(JVM_VARIABLES).as("non-node variable %s", name).contains(name);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(value = ValueSet.class, names = {"DEFAULTS", "NODES_ONLY", "CUSTOM_V_RF"})
  void theNodesOwnParserReadsEveryPodsEnvironmentAsIntended(ValueSet set) {
    Rendered rendered = set.render();
    StatefulSet nodes = nodes(set);
    PodTemplateSpec template = nodes.getSpec().getTemplate();
    Container container = Workloads.container(template);
    String statefulSet = nodes.getMetadata().getName();
    String cluster = template.getMetadata().getLabels().get("app.kubernetes.io/instance");
    String stableDomain = nodes.getSpec().getServiceName() + "." + Chart.NAMESPACE + ".svc.cluster.local";
    Expected expected = Expected.of(set);

    Service headless = rendered.one(Service.class, nodes.getSpec().getServiceName());
    assertThat(headless.getSpec().getClusterIP()).isEqualTo("None");
    assertThat(headless.getSpec().getPublishNotReadyAddresses()).isTrue();
    assertThat(headless.getSpec().getSelector()).isEqualTo(template.getMetadata().getLabels());

    for (int ordinal = 0; ordinal < nodes.getSpec().getReplicas(); ordinal++) {
      String pod = statefulSet + "-" + ordinal;
      NodeConfig config = NodeConfigParser.parse(new String[0], PodEnvironment.resolve(template, pod, Chart.NAMESPACE));

      assertThat(config.nodeId()).isEqualTo(pod);
      assertThat(config.clusterId()).isEqualTo(cluster);
      assertThat(config.advertiseHost()).as("stable DNS name through the headless Service").isEqualTo(pod + "." + stableDomain);
      assertThat(config.bindHost()).isEqualTo("0.0.0.0");
      assertThat(config.httpPort()).isEqualTo(containerPort(container, "http"));
      assertThat(config.adminPort()).isEqualTo(containerPort(container, "admin"));
      assertThat(config.raftPort()).isEqualTo(containerPort(container, "raft"));
      assertThat(config.vshards()).isEqualTo(expected.vshards());
      assertThat(config.replicationFactor()).isEqualTo(expected.replicationFactor());
      assertThat(config.initialMembers()).extracting(InitialMember::id)
          .containsExactlyElementsOf(IntStream.range(0, expected.initialMembers()).mapToObj(i -> statefulSet + "-" + i).toList());
      assertThat(config.initialMembers()).allSatisfy(m -> assertThat(m.host()).isEqualTo(m.id() + "." + stableDomain));
      assertThat(config.isInitialMember()).as("%s bootstraps (else joins)", pod).isEqualTo(ordinal < expected.initialMembers());
      assertThat(config.dataDir()).isEqualTo(Path.of(persistentMountPath(nodes, container)));
      assertTokenFileIsTheMountedSecretKey(config.adminTokenFile(), template, container, cluster);
    }
  }

  @Test
  void probesAndMetricsUseEndpointsTheNodeServesOnItsHttpPort() {
    StatefulSet nodes = nodes(ValueSet.DEFAULTS);
    Container container = Workloads.container(nodes.getSpec().getTemplate());
    Set<String> served = NODE.captures(DATA_ROUTE);
    assertThat(served).as("GET routes registered by the node's data API").contains("/v1/routing");

    assertHttpGet(container.getStartupProbe(), "/healthz", served);
    assertHttpGet(container.getLivenessProbe(), "/healthz", served);
    assertHttpGet(container.getReadinessProbe(), "/readyz", served);
    assertThat(served).as("ServiceMonitor path").contains("/metrics");
  }

  @Test
  void podsCarryExactlyTheLabelsTheOperatorSelectsBy() {
    StatefulSet nodes = nodes(ValueSet.DEFAULTS);
    assertThat(nodes.getSpec().getTemplate().getMetadata().getLabels())
        .containsExactlyInAnyOrderEntriesOf(Map.of("app.kubernetes.io/name", "vshard-node", "app.kubernetes.io/instance", "demo"));
    assertThat(nodes.getSpec().getSelector().getMatchLabels()).isEqualTo(nodes.getSpec().getTemplate().getMetadata().getLabels());
    assertThat(nodes.getSpec().getPodManagementPolicy()).isEqualTo("Parallel");
    assertThat(nodes.getSpec().getVolumeClaimTemplates()).extracting(c -> c.getMetadata().getName()).containsExactly("data");
  }

  private static void assertHttpGet(Probe probe, String path, Set<String> served) {
    assertThat(probe).isNotNull();
    HTTPGetAction get = probe.getHttpGet();
    assertThat(get.getPath()).isEqualTo(path);
    assertThat(served).as("the node serves %s", path).contains(path);
    assertThat(get.getPort().getStrVal()).as("probe port of %s", path).isEqualTo("http");
  }

  private static void assertTokenFileIsTheMountedSecretKey(Path tokenFile, PodTemplateSpec template, Container container,
                                                          String cluster) {
    VolumeMount mount = container.getVolumeMounts().stream()
        .filter(m -> tokenFile.getParent().equals(Path.of(m.getMountPath()))).findFirst()
        .orElseThrow(() -> new AssertionError("nothing mounted at " + tokenFile.getParent()));
    Volume volume = template.getSpec().getVolumes().stream().filter(v -> v.getName().equals(mount.getName())).findFirst()
        .orElseThrow();
    assertThat(volume.getSecret().getSecretName()).isEqualTo(cluster + "-admin-token");
    assertThat(volume.getSecret().getItems()).anySatisfy(item -> {
      assertThat(item.getKey()).isEqualTo("token");
      assertThat(item.getPath()).isEqualTo(tokenFile.getFileName().toString());
    });
  }

  private static String persistentMountPath(StatefulSet nodes, Container container) {
    List<String> claims = nodes.getSpec().getVolumeClaimTemplates().stream().map(c -> c.getMetadata().getName()).toList();
    List<String> paths = container.getVolumeMounts().stream().filter(m -> claims.contains(m.getName()))
        .map(VolumeMount::getMountPath).toList();
    assertThat(paths).as("mounts of persistent volume claims").hasSize(1);
    return paths.get(0);
  }

  private static int containerPort(Container container, String name) {
    return container.getPorts().stream().filter(p -> name.equals(p.getName())).map(ContainerPort::getContainerPort)
        .findFirst().orElseThrow(() -> new AssertionError("no container port named " + name));
  }

  private static StatefulSet nodes(ValueSet set) {
    List<StatefulSet> all = set.render().ofType(StatefulSet.class);
    assertThat(all).hasSize(1);
    return all.get(0);
  }

  /** What the value sets ask for (see {@link ValueSet}). */
  private record Expected(int vshards, int replicationFactor, int initialMembers) {
    static Expected of(ValueSet set) {
      return set == ValueSet.CUSTOM_V_RF ? new Expected(64, 5, 5) : new Expected(16, 3, 4);
    }
  }
}
