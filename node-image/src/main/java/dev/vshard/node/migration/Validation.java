package dev.vshard.node.migration;

import dev.vshard.node.http.ApiException;
import dev.vshard.node.routing.MigrationHold;
import dev.vshard.node.routing.RoutingTable;
import dev.vshard.node.routing.ShardRoute;

/** The checks an admin call makes before it changes anything, each failing with the contract's code and field. */
final class Validation {
  private Validation() {
  }

  static ShardRoute route(RoutingTable table, int v) {
    return table.shard(v).orElseThrow(() -> new ApiException(404, "UnknownVShard",
        "vShard " + v + " does not exist; allowed 0.." + (table.vshards() - 1), "vshard"));
  }

  static void node(RoutingTable table, String node, String field) {
    if (table.node(node).isEmpty()) {
      throw new ApiException(404, "UnknownNode", "node '" + node + "' is not in the node directory; known: "
          + table.sortedNodes().keySet(), field);
    }
  }

  static boolean heldBy(ShardRoute route, String migrationId) {
    return route.hold() != null && route.hold().migrationId().equals(migrationId);
  }

  static void free(ShardRoute route) {
    if (route.hold() != null) {
      throw busy(route.vshard(), route.hold());
    }
  }

  static ApiException busy(int v, MigrationHold hold) {
    return new ApiException(409, "VShardBusy", "vShard " + v + " is held by migration '" + hold.migrationId()
        + "' (" + hold.source() + " -> " + hold.target() + ")", "migrationId");
  }

  /** The target must be outside the group and the source one of its voters (so they also differ). */
  static void movable(ShardRoute route, String source, String target) {
    if (route.hasMember(target)) {
      throw new ApiException(409, "AlreadyMember", "node '" + target + "' is already a member of vShard "
          + route.vshard() + " (voters " + route.voters() + ", listeners " + route.listeners() + ")", "target");
    }
    if (!route.voters().contains(source)) {
      throw new ApiException(409, "SourceNotMember", "node '" + source + "' is not a voter of vShard " + route.vshard()
          + " (voters " + route.voters() + ")", "source");
    }
  }

  /** A repeated call under the same migration id must describe the same move. */
  static void sameMove(MigrationHold hold, String source, String target) {
    if (!hold.target().equals(target)) {
      throw new ApiException(409, "MigrationMismatch", "migration '" + hold.migrationId() + "' moves to '"
          + hold.target() + "', not '" + target + "'", "target");
    }
    if (!hold.source().equals(source)) {
      throw new ApiException(409, "MigrationMismatch", "migration '" + hold.migrationId() + "' moves from '"
          + hold.source() + "', not '" + source + "'", "source");
    }
  }
}
