package dev.vshard.helm;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** helm lint, and helm template with each value set: the right objects, in the right place. */
class ChartRenderTest {

  private static final Set<String> CLUSTER_SCOPED = Set.of("ClusterRole", "ClusterRoleBinding", "CustomResourceDefinition");

  @Test
  void lintPassesStrict() {
    LintResult lint = new Helm(Chart.dir()).lint().strict().call();
    assertThat(lint.isFailed()).as("helm lint --strict: %s", lint.getMessages()).isFalse();
    assertThat(lint.getMessages()).noneMatch(m -> m.contains("[ERROR]") || m.contains("[WARNING]"));
  }

  @ParameterizedTest
  @EnumSource(ValueSet.class)
  void everyValueSetRendersParseableNamespacedObjects(ValueSet set) {
    Rendered rendered = set.render();
    assertThat(rendered.all()).isNotEmpty();
    for (HasMetadata object : rendered.all()) {
      assertThat(object.getApiVersion()).as("apiVersion of %s", object.getKind()).isNotBlank();
      assertThat(object.getMetadata().getName()).as("name of %s", object.getKind()).matches("[a-z0-9][-a-z0-9.]*");
      if (!CLUSTER_SCOPED.contains(object.getKind())) {
        assertThat(object.getMetadata().getNamespace()).as("namespace of %s/%s", object.getKind(), object.getMetadata().getName())
            .isNotBlank();
      }
    }
  }

  @Test
  void defaultsInstallOperatorAndNodeCluster() {
    Rendered rendered = ValueSet.DEFAULTS.render();
    assertThat(rendered.summary()).contains(
        "ServiceAccount/demo-operator", "Deployment/demo-operator", "Service/demo-operator",
        "ClusterRole/demo-operator", "ClusterRoleBinding/demo-operator",
        "Role/demo-operator-leader-election", "RoleBinding/demo-operator-leader-election",
        "StatefulSet/demo-node", "Service/demo-node", "Service/demo-node-headless",
        "PodDisruptionBudget/demo-node", "NetworkPolicy/demo-node", "Secret/demo-admin-token",
        "Role/demo-operator-admin-token", "RoleBinding/demo-operator-admin-token");
    assertThat(rendered.ofKind("ServiceMonitor")).isEmpty();
    assertThat(rendered.one(StatefulSet.class, "demo-node").getSpec().getReplicas()).isEqualTo(4);
  }

  @Test
  void operatorOnlyRendersNoNodeCluster() {
    Rendered rendered = ValueSet.OPERATOR_ONLY.render();
    assertThat(rendered.ofType(StatefulSet.class)).isEmpty();
    assertThat(rendered.ofKind("Secret")).isEmpty();
    assertThat(rendered.ofKind("NetworkPolicy")).isEmpty();
    assertThat(rendered.ofKind("PodDisruptionBudget")).isEmpty();
    assertThat(rendered.one(Deployment.class, "demo-operator")).isNotNull();
    assertThat(rendered.ofType(ClusterRole.class)).hasSize(1);
  }

  @Test
  void nodesOnlyGrantsTheNamedOperatorAccessToItsTokenOnly() {
    Rendered rendered = ValueSet.NODES_ONLY.render();
    assertThat(rendered.ofType(Deployment.class)).isEmpty();
    assertThat(rendered.ofType(ClusterRole.class)).isEmpty();
    assertThat(rendered.ofKind("ServiceAccount")).isEmpty();
    assertThat(rendered.one(StatefulSet.class, "shop-node")).isNotNull();

    RoleBinding binding = rendered.one(RoleBinding.class, "shop-operator-admin-token");
    assertThat(binding.getSubjects()).singleElement().satisfies(subject -> {
      assertThat(subject.getKind()).isEqualTo("ServiceAccount");
      assertThat(subject.getName()).isEqualTo("vshard-operator");
      assertThat(subject.getNamespace()).isEqualTo("vshard-operators");
    });
    Role role = rendered.one(Role.class, "shop-operator-admin-token");
    assertThat(role.getRules()).singleElement().satisfies(rule -> {
      assertThat(rule.getResources()).containsExactly("secrets");
      assertThat(rule.getResourceNames()).containsExactly("shop-admin-token");
      assertThat(rule.getVerbs()).containsExactly("get");
    });
  }

  @Test
  void customVAndRfReachTheNodes() {
    StatefulSet nodes = ValueSet.CUSTOM_V_RF.render().one(StatefulSet.class, "big-node");
    assertThat(nodes.getSpec().getReplicas()).isEqualTo(7);
    Map<String, String> env = Workloads.env(nodes.getSpec().getTemplate());
    assertThat(env).containsEntry("VSHARD_VSHARDS", "64").containsEntry("VSHARD_REPLICATION_FACTOR", "5")
        .containsEntry("VSHARD_CLUSTER_ID", "big").containsEntry("VSHARD_HTTP_PORT", "18080");
    assertThat(env.get("VSHARD_INITIAL_MEMBERS").split(",")).hasSize(5);
  }

  @Test
  void severalWatchNamespacesGetARoleEachAndNoClusterRole() {
    Rendered rendered = ValueSet.WATCH_NAMESPACES.render();
    assertThat(rendered.ofType(ClusterRole.class)).isEmpty();
    assertThat(rendered.ofKind("ClusterRoleBinding")).isEmpty();
    assertThat(rendered.ofType(Role.class).stream()
        .filter(r -> r.getMetadata().getName().equals("demo-operator"))
        .map(r -> r.getMetadata().getNamespace()))
        .containsExactlyInAnyOrder("team-a", "team-b");
    assertThat(rendered.ofType(RoleBinding.class).stream()
        .filter(r -> r.getMetadata().getName().equals("demo-operator"))
        .map(r -> r.getMetadata().getNamespace()))
        .containsExactlyInAnyOrder("team-a", "team-b");

    Deployment operator = rendered.one(Deployment.class, "demo-operator");
    assertThat(operator.getSpec().getReplicas()).isEqualTo(2);
    Map<String, String> env = Workloads.env(operator.getSpec().getTemplate());
    assertThat(env).containsEntry("VSHARD_WATCH_NAMESPACES", "team-a,team-b")
        .containsEntry("VSHARD_DEFAULT_TTL_SECONDS", "3600")
        .containsEntry("VSHARD_MAX_CONCURRENT_PER_CLUSTER", "2")
        .containsEntry("VSHARD_LEADER_ELECTION", "true");
  }

  @Test
  void defaultTtlIsLeftUnsetUnlessConfigured() {
    Deployment operator = ValueSet.DEFAULTS.render().one(Deployment.class, "demo-operator");
    assertThat(operator.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
        .extracting(EnvVar::getName).doesNotContain("VSHARD_DEFAULT_TTL_SECONDS").contains("VSHARD_WATCH_NAMESPACES");
    assertThat(Workloads.env(operator.getSpec().getTemplate())).containsEntry("VSHARD_WATCH_NAMESPACES", "");
  }

  @Test
  void serviceMonitorsSelectExistingServicePorts() {
    Rendered rendered = ValueSet.EVERYTHING_ON.render();
    assertThat(rendered.ofKind("ServiceMonitor")).hasSize(2);
    for (HasMetadata monitor : rendered.ofKind("ServiceMonitor")) {
      Map<String, Object> spec = Workloads.genericSpec(monitor);
      @SuppressWarnings("unchecked")
      Map<String, String> selector = (Map<String, String>) ((Map<String, Object>) spec.get("selector")).get("matchLabels");
      java.util.List<Service> selected = rendered.ofType(Service.class).stream()
          .filter(s -> s.getMetadata().getLabels().entrySet().containsAll(selector.entrySet())).toList();
      assertThat(selected).as("services selected by ServiceMonitor %s", monitor.getMetadata().getName()).hasSize(1);
      assertThat(selected.get(0).getSpec().getPorts()).anyMatch(p -> "http".equals(p.getName()));
    }
  }
}
