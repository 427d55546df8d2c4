package dev.vshard.node.http;

import dev.vshard.node.routing.RoutingTable;
import dev.vshard.node.routing.ShardRoute;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The contract's JSON shape of {@code GET /v1/routing} (internal fields such as step results stay inside). */
public final class RoutingJson {
  private RoutingJson() {
  }

  public static Map<String, Object> of(RoutingTable table) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("clusterId", table.clusterId());
    body.put("epoch", table.epoch());
    body.put("vshards", table.vshards());
    body.put("replicationFactor", table.replicationFactor());
    body.put("bootstrapped", table.bootstrapped());
    body.put("nodes", table.sortedNodes());
    List<Map<String, Object>> shards = new ArrayList<>();
    for (ShardRoute route : table.shards()) {
      Map<String, Object> shard = new LinkedHashMap<>();
      shard.put("vshard", route.vshard());
      shard.put("voters", route.voters());
      shard.put("listeners", route.listeners());
      shard.put("leader", route.leader());
      shard.put("migrationId", route.hold() == null ? null : route.hold().migrationId());
      shard.put("epoch", route.epoch());
      shards.add(shard);
    }
    body.put("shards", shards);
    return body;
  }
}
