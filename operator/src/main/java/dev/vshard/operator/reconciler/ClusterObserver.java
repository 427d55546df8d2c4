package dev.vshard.operator.reconciler;

import dev.vshard.operator.migration.SlotGate;
import dev.vshard.operator.migration.StepContext;
import dev.vshard.operator.model.VShardMigration;
import dev.vshard.operator.node.ClusterDiscovery;
import dev.vshard.operator.node.NodeAdmin;
import dev.vshard.operator.node.NodeAdminFactory;
import dev.vshard.operator.node.NodeCluster;
import dev.vshard.operator.node.NodeEndpoint;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/** The "observe" part of a reconcile: the migration's node cluster as the API server shows it now. */
public class ClusterObserver {

  private final ClusterDiscovery discovery;
  private final NodeAdminFactory admins;

  public ClusterObserver(ClusterDiscovery discovery, NodeAdminFactory admins) {
    this.discovery = discovery;
    this.admins = admins;
  }

  public StepContext observe(VShardMigration m, SlotGate gate, Instant now) {
    String cluster = m.getSpec() == null ? null : m.getSpec().getCluster();
    if (cluster == null) {
      return new StepContext(m, Optional.empty(), null, false, gate, now);
    }
    String ns = m.getMetadata().getNamespace();
    Map<String, NodeEndpoint> pods = discovery.pods(ns, cluster);
    if (pods.isEmpty()) {
      return new StepContext(m, Optional.empty(), null, false, gate, now);
    }
    Optional<String> token = discovery.adminToken(ns, cluster);
    NodeCluster nodes = new NodeCluster(ns, cluster, pods, token.orElse(""));
    NodeAdmin admin = admins.forCluster(nodes);
    return new StepContext(m, Optional.of(nodes), admin, token.isEmpty(), gate, now);
  }
}
