package dev.vshard.operator.reconciler;

import dev.vshard.operator.model.VShardMigration;
import dev.vshard.operator.node.ClusterDiscovery;
import dev.vshard.operator.node.NodeAdmin;
import dev.vshard.operator.node.NodeAdminFactory;
import dev.vshard.operator.node.NodeApiException;
import dev.vshard.operator.node.NodeCluster;
import dev.vshard.operator.node.NodeEndpoint;
import dev.vshard.operator.node.NodeUnavailableException;
import dev.vshard.operator.node.RoutingTable;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * On start-up: finds vShards whose hold ({@code migrationId} in {@code GET /v1/routing}) belongs to
 * a VShardMigration that no longer exists, and releases them ({@code DELETE .../migration}): the node
 * rolls back before the membership change and completes after it.
 */
public class OrphanHoldReleaser {

  private static final Logger LOG = LoggerFactory.getLogger(OrphanHoldReleaser.class);

  /** One released hold. */
  public record Released(String namespace, String cluster, int vshard, String migrationId, String result) { }

  private final KubernetesClient client;
  private final ClusterDiscovery discovery;
  private final NodeAdminFactory admins;

  public OrphanHoldReleaser(KubernetesClient client, ClusterDiscovery discovery, NodeAdminFactory admins) {
    this.client = client;
    this.discovery = discovery;
    this.admins = admins;
  }

  /** Releases orphaned holds in the given namespaces (empty = all); returns what it released. */
  public List<Released> releaseOrphans(Set<String> namespaces) {
    List<Released> released = new ArrayList<>();
    for (Map.Entry<String, Set<String>> clusters : clustersByNamespace(namespaces).entrySet()) {
      String ns = clusters.getKey();
      Set<String> liveUids = client.resources(VShardMigration.class).inNamespace(ns).list().getItems().stream()
          .map(m -> m.getMetadata().getUid()).collect(Collectors.toSet());
      for (String cluster : clusters.getValue()) {
        released.addAll(releaseInCluster(ns, cluster, liveUids));
      }
    }
    return released;
  }

  private List<Released> releaseInCluster(String ns, String cluster, Set<String> liveUids) {
    List<Released> released = new ArrayList<>();
    Map<String, NodeEndpoint> pods = discovery.pods(ns, cluster);
    var token = discovery.adminToken(ns, cluster);
    if (pods.isEmpty() || token.isEmpty()) {
      return released;
    }
    NodeAdmin admin = admins.forCluster(new NodeCluster(ns, cluster, pods, token.get()));
    try {
      RoutingTable routing = admin.routing();
      for (RoutingTable.ShardRoute shard : routing.shards()) {
        String holder = shard.migrationId();
        if (holder != null && !liveUids.contains(holder) && !existsNow(ns, holder)) {
          String result = admin.releaseHold(shard.vshard(), holder);
          LOG.info("released orphaned hold of vShard {} in {}/{} (migration {} no longer exists): {}",
              shard.vshard(), ns, cluster, holder, result);
          released.add(new Released(ns, cluster, shard.vshard(), holder, result));
        }
      }
    } catch (NodeUnavailableException | NodeApiException e) {
      LOG.warn("could not check {}/{} for orphaned holds: {}", ns, cluster, e.getMessage());
    }
    return released;
  }

  /** Checked again right before releasing, in case a migration was created since the first list. */
  private boolean existsNow(String ns, String uid) {
    return client.resources(VShardMigration.class).inNamespace(ns).list().getItems().stream()
        .anyMatch(m -> uid.equals(m.getMetadata().getUid()));
  }

  private Map<String, Set<String>> clustersByNamespace(Set<String> namespaces) {
    List<Pod> pods = namespaces.isEmpty()
        ? client.pods().inAnyNamespace().withLabel(ClusterDiscovery.NAME_LABEL, ClusterDiscovery.NODE_APP).list().getItems()
        : namespaces.stream().flatMap(ns -> client.pods().inNamespace(ns)
            .withLabel(ClusterDiscovery.NAME_LABEL, ClusterDiscovery.NODE_APP).list().getItems().stream()).toList();
    Map<String, Set<String>> out = new TreeMap<>();
    for (Pod pod : pods) {
      String cluster = pod.getMetadata().getLabels().get(ClusterDiscovery.INSTANCE_LABEL);
      if (cluster != null) {
        out.computeIfAbsent(pod.getMetadata().getNamespace(), k -> new java.util.TreeSet<>()).add(cluster);
      }
    }
    return out;
  }
}
