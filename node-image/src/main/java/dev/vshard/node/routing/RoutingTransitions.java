package dev.vshard.node.routing;

import dev.vshard.node.routing.MetadataCommand.AcquireHold;
import dev.vshard.node.routing.MetadataCommand.Batch;
import dev.vshard.node.routing.MetadataCommand.InitializeCluster;
import dev.vshard.node.routing.MetadataCommand.MarkBootstrapped;
import dev.vshard.node.routing.MetadataCommand.RecordStep;
import dev.vshard.node.routing.MetadataCommand.RegisterNode;
import dev.vshard.node.routing.MetadataCommand.ReleaseHold;
import dev.vshard.node.routing.MetadataCommand.SetLeaderHint;
import dev.vshard.node.routing.MetadataCommand.SpreadCommit;
import dev.vshard.node.routing.MetadataCommand.UpdateShardMembership;
import java.util.Objects;

/**
 * The pure function at the heart of the metadata state machine: table + command -> next table, or a
 * {@link MetadataRejectedException}. Deterministic, so every replica accepts or rejects the same way.
 */
public final class RoutingTransitions {
  private RoutingTransitions() {
  }

  public static RoutingTable apply(RoutingTable table, MetadataCommand command) {
    if (command instanceof InitializeCluster c) {
      return initialize(table, c);
    }
    if (command instanceof RegisterNode c) {
      return table.withNode(c.nodeId(), c.address());
    }
    if (command instanceof SpreadCommit) {
      return table;
    }
    if (command instanceof Batch c) {
      RoutingTable next = table;
      for (MetadataCommand each : c.commands()) {
        next = apply(next, each); // a rejection leaves the caller's table as it was: transitions are pure
      }
      return next;
    }
    requireInitialized(table);
    if (command instanceof MarkBootstrapped) {
      return table.markBootstrapped();
    }
    if (command instanceof UpdateShardMembership c) {
      ShardRoute route = shard(table, c.vshard());
      if (route.voters().equals(c.voters()) && route.listeners().equals(c.listeners())) {
        return table; // a resumed step commits the same membership again: no second epoch bump
      }
      long epoch = table.epoch() + 1;
      return table.withShard(route.withMembership(c.voters(), c.listeners(), epoch), epoch);
    }
    if (command instanceof AcquireHold c) {
      return acquire(table, c);
    }
    if (command instanceof RecordStep c) {
      ShardRoute route = shard(table, c.vshard());
      MigrationHold hold = requireHeldBy(route, c.migrationId());
      return table.withShard(route.withHold(hold.withStep(c.step(), c.result())), table.epoch());
    }
    if (command instanceof ReleaseHold c) {
      ShardRoute route = shard(table, c.vshard());
      if (route.hold() == null || !route.hold().migrationId().equals(c.migrationId())) {
        return table;
      }
      return table.withShard(route.released(), table.epoch());
    }
    if (command instanceof SetLeaderHint c) {
      ShardRoute route = shard(table, c.vshard());
      return Objects.equals(route.leader(), c.leader()) ? table : table.withShard(route.withLeader(c.leader()), table.epoch());
    }
    throw new IllegalArgumentException("unknown metadata command " + command);
  }

  private static RoutingTable initialize(RoutingTable table, InitializeCluster c) {
    if (table.initialized()) {
      // a restarted bootstrap initiator proposes the same plan again: keep what is committed
      return table;
    }
    RoutingTable fresh = new RoutingTable(c.clusterId(), 1, c.vshards(), c.replicationFactor(), false,
        table.nodes(), c.shards());
    for (var e : c.nodes().entrySet()) {
      fresh = fresh.withNode(e.getKey(), e.getValue());
    }
    return fresh;
  }

  private static RoutingTable acquire(RoutingTable table, AcquireHold c) {
    ShardRoute route = shard(table, c.vshard());
    MigrationHold current = route.hold();
    if (current != null) {
      if (current.migrationId().equals(c.migrationId())) {
        return table;
      }
      throw new MetadataRejectedException("VShardBusy",
          "vShard " + c.vshard() + " is held by migration '" + current.migrationId() + "'", "migrationId");
    }
    MigrationHold hold = new MigrationHold(c.migrationId(), c.source(), c.target(), null);
    return table.withShard(route.withHold(hold), table.epoch());
  }

  private static MigrationHold requireHeldBy(ShardRoute route, String migrationId) {
    MigrationHold hold = route.hold();
    if (hold == null) {
      throw new MetadataRejectedException("NoHold", "vShard " + route.vshard() + " is not held by any migration", "migrationId");
    }
    if (!hold.migrationId().equals(migrationId)) {
      throw new MetadataRejectedException("VShardBusy",
          "vShard " + route.vshard() + " is held by migration '" + hold.migrationId() + "'", "migrationId");
    }
    return hold;
  }

  private static ShardRoute shard(RoutingTable table, int v) {
    return table.shard(v).orElseThrow(() -> new MetadataRejectedException("UnknownVShard",
        "vShard " + v + " does not exist; allowed 0.." + (table.vshards() - 1), "vshard"));
  }

  private static void requireInitialized(RoutingTable table) {
    if (!table.initialized()) {
      throw new MetadataRejectedException("NotBootstrapped", "the cluster has not been bootstrapped yet", null);
    }
  }
}
