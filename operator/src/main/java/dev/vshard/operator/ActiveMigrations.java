package dev.vshard.operator;

import dev.vshard.operator.model.VShardMigration;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.util.List;
import java.util.Set;

/**
 * The {@code vshard_migrations_active} gauge: migrations in an active phase, listed at scrape time in
 * the namespaces the operator watches (the same permission its informer needs).
 */
final class ActiveMigrations {

  private final KubernetesClient client;
  private final Set<String> namespaces;

  ActiveMigrations(KubernetesClient client, Set<String> namespaces) {
    this.client = client;
    this.namespaces = namespaces;
  }

  long count() {
    List<VShardMigration> all = namespaces.isEmpty()
        ? client.resources(VShardMigration.class).inAnyNamespace().list().getItems()
        : namespaces.stream().flatMap(ns -> client.resources(VShardMigration.class).inNamespace(ns).list()
            .getItems().stream()).toList();
    return all.stream()
        .filter(m -> m.getStatus() != null && m.getStatus().getPhase() != null && m.getStatus().getPhase().isActive())
        .count();
  }
}
