package dev.vshard.helm;

import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The operator's RBAC is exactly what its code uses: the expected list is derived from
 * operator/src/main/java ({@link OperatorApiUsage}), never copied from the chart.
 */
class OperatorRbacTest {

  private static final OperatorApiUsage USAGE = OperatorApiUsage.of(SourceTree.ofModule("operator"));

  @ParameterizedTest
  @EnumSource(value = ValueSet.class, names = {"DEFAULTS", "OPERATOR_ONLY", "WATCH_NAMESPACES", "EVERYTHING_ON"})
  void grantsExactlyWhatTheOperatorsCodeUses(ValueSet set) {
    Set<ApiAccess> granted = rbac(set).accesses();
    Set<ApiAccess> used = USAGE.accesses();
    assertThat(used).as("derived from the operator's code").isNotEmpty();

    Set<ApiAccess> missing = new TreeSet<>(used);
    missing.removeAll(granted);
    Set<ApiAccess> unused = new TreeSet<>(granted);
    unused.removeAll(used);
    assertThat(missing).as("used by the operator's code but not granted:\n%s", describe(missing)).isEmpty();
    assertThat(unused).as("granted but never used by the operator's code").isEmpty();
  }

  @Test
  void derivationFindsTheCallsTheOperatorIsKnownToMake() {
    // guards the derivation itself: if the scanner stopped seeing calls, the comparison above would be hollow
    assertThat(USAGE.accesses()).contains(
        new ApiAccess("", "pods", "list"),
        new ApiAccess("", "secrets", "get"),
        new ApiAccess(OperatorApiUsage.GROUP, OperatorApiUsage.MIGRATIONS, "watch"),
        new ApiAccess(OperatorApiUsage.GROUP, OperatorApiUsage.MIGRATIONS + "/status", "patch"));
  }

  @Test
  void secretsAreReadableOnlyByNameInTheNodeClustersNamespace() {
    OperatorRbac rbac = rbac(ValueSet.DEFAULTS);
    ApiAccess getSecret = new ApiAccess("", "secrets", "get");
    assertThat(rbac.allows(Chart.NAMESPACE, getSecret, "demo-admin-token")).isTrue();
    assertThat(rbac.allows(Chart.NAMESPACE, getSecret, "some-other-secret")).isFalse();
    assertThat(rbac.allows("elsewhere", getSecret, "demo-admin-token")).isFalse();
    assertThat(rbac.allows(Chart.NAMESPACE, new ApiAccess("", "secrets", "list"), null)).isFalse();
  }

  @Test
  void theLeaseIsWritableOnlyInTheOperatorsNamespaceAndOnlyByName() {
    OperatorRbac rbac = rbac(ValueSet.DEFAULTS);
    ApiAccess update = new ApiAccess("coordination.k8s.io", "leases", "update");
    assertThat(rbac.allows(Chart.NAMESPACE, update, "vshard-operator")).isTrue();
    assertThat(rbac.allows(Chart.NAMESPACE, update, "kube-scheduler")).isFalse();
    assertThat(rbac.allows("kube-system", update, "vshard-operator")).isFalse();
    Deployment operator = ValueSet.DEFAULTS.render().one(Deployment.class, "demo-operator");
    assertThat(Workloads.env(operator.getSpec().getTemplate())).containsEntry("POD_NAMESPACE", "fieldRef:metadata.namespace");
  }

  @Test
  void watchingNamespacesGrantsMigrationAccessOnlyThere() {
    OperatorRbac rbac = rbac(ValueSet.WATCH_NAMESPACES);
    ApiAccess watch = new ApiAccess(OperatorApiUsage.GROUP, OperatorApiUsage.MIGRATIONS, "watch");
    assertThat(rbac.allows("team-a", watch, null)).isTrue();
    assertThat(rbac.allows("team-b", watch, null)).isTrue();
    assertThat(rbac.allows("team-c", watch, null)).isFalse();
  }

  private static OperatorRbac rbac(ValueSet set) {
    Rendered rendered = set.render();
    ServiceAccount sa = rendered.ofType(ServiceAccount.class).stream().findFirst()
        .orElseThrow(() -> new AssertionError("no operator ServiceAccount in " + set));
    Deployment operator = rendered.ofType(Deployment.class).get(0);
    assertThat(operator.getSpec().getTemplate().getSpec().getServiceAccountName()).isEqualTo(sa.getMetadata().getName());
    if (set == ValueSet.OPERATOR_ONLY) {
      // two releases: this operator, and a node cluster installed next to it that names its ServiceAccount
      rendered = rendered.plus(Chart.render("""
          operator:
            enabled: false
          nodes:
            clusterName: shop
            operatorAccess:
              serviceAccountName: %s
          """.formatted(sa.getMetadata().getName())));
    }
    return OperatorRbac.of(rendered, sa.getMetadata().getName(), sa.getMetadata().getNamespace());
  }

  private static String describe(Set<ApiAccess> accesses) {
    Map<ApiAccess, Set<String>> evidence = USAGE.evidence();
    return accesses.stream().map(a -> "  " + a + "  <- " + evidence.getOrDefault(a, Set.of()))
        .collect(Collectors.joining("\n"));
  }
}
