package dev.vshard.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vshard.operator.OperatorRunner;
import dev.vshard.operator.OperatorSettings;
import dev.vshard.operator.migration.FakeNodeAdmin;
import dev.vshard.operator.migration.MigrationPhase;
import dev.vshard.operator.migration.MigrationSettings;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Two operator replicas with leader election on one API server (the fabric8 CRUD mock; nodes are a FAKE):
 * only the Lease holder reconciles; when it stops, the other takes the Lease over and drives new migrations.
 */
@EnableKubernetesMockClient(crud = true)
class LeaderElectionOnMockTest {
  static KubernetesClient client;
  static KubernetesMockServer server;

  @Test
  void theStandbyTakesOverWhenTheLeaderStops() {
    // JOSDK checks its Lease permissions first; the CRUD mock does not answer a SelfSubjectRulesReview itself
    server.expect().post().withPath("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews")
        .andReturn(201, new SelfSubjectRulesReviewBuilder().withNewStatus().addNewResourceRule()
            .withApiGroups("coordination.k8s.io").withResources("leases").withVerbs("get", "create", "update")
            .endResourceRule().withIncomplete(false).endStatus().build()).always();
    FakeNodeAdmin nodes = new FakeNodeAdmin();
    MockApiFixture api = new MockApiFixture(client);
    api.installClusterOf(nodes);
    MigrationSettings fast = new MigrationSettings(3, 2, Duration.ofMillis(200), Duration.ofMillis(200), Duration.ofMillis(300));
    OperatorRunner first = OperatorRunner.start(client, replica("replica-a"), cluster -> nodes, fast, Clock.systemUTC());
    try (OperatorRunner second = OperatorRunner.start(client, replica("replica-b"), cluster -> nodes, fast, Clock.systemUTC())) {
      try {
        await().atMost(Duration.ofSeconds(30)).until(() -> "replica-a".equals(holder()));
        api.create("while-a-leads", 1, null);
        api.awaitPhase("while-a-leads", MigrationPhase.Completed);
        assertThat(holder()).as("the standby never took the Lease").isEqualTo("replica-a");
      } finally {
        first.close();
      }
      await().atMost(Duration.ofSeconds(60)).until(() -> "replica-b".equals(holder()));
      api.create("after-a-stopped", 2, null);
      api.awaitPhase("after-a-stopped", MigrationPhase.Completed);
      assertThat(api.get("after-a-stopped").getStatus().getPhases()).extracting(p -> p.getPhase().name())
          .containsExactly("Pending", "BaseCopy", "WalCatchUp", "AtomicCutOver", "Completed");
    }
  }

  private static OperatorSettings replica(String identity) {
    return new OperatorSettings(Set.of(), 4, null, -1, true, MockApiFixture.NS, identity);
  }

  private static String holder() {
    Lease lease = client.leases().inNamespace(MockApiFixture.NS).withName("vshard-operator").get();
    return lease == null || lease.getSpec() == null ? null : lease.getSpec().getHolderIdentity();
  }
}
