package dev.vshard.node.admin;

import dev.vshard.node.migration.CutOverResult;
import dev.vshard.node.migration.GroupView;
import dev.vshard.node.migration.LearnerResult;
import dev.vshard.node.migration.MigrationRecords;
import dev.vshard.node.migration.PeerReplication;
import dev.vshard.node.routing.MigrationHold;
import dev.vshard.node.routing.ShardRoute;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The JSON shapes of the admin API (contract.md), built from the migration package's records. */
final class VShardViewJson {
  private VShardViewJson() {
  }

  static Map<String, Object> view(GroupView view, ShardRoute route, MigrationRecords records) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("vshard", view.vshard());
    json.put("epoch", route.epoch());
    json.put("leader", view.leader());
    json.put("term", view.term());
    json.put("commitIndex", view.commitIndex());
    json.put("logStartIndex", view.logStartIndex());
    json.put("lastIndex", view.lastIndex());
    json.put("voters", view.voters());
    json.put("listeners", view.listeners());
    List<Map<String, Object>> peers = new ArrayList<>();
    for (PeerReplication p : view.peers()) {
      Map<String, Object> peer = new LinkedHashMap<>();
      peer.put("node", p.node());
      peer.put("role", p.role());
      peer.put("matchIndex", p.matchIndex());
      peer.put("lag", p.lag());
      peer.put("lastContactMillis", p.lastContactMillis());
      peers.add(peer);
    }
    json.put("peers", peers);
    json.put("migration", records.latest(route).map(h -> migration(h, route, records)).orElse(null));
    return json;
  }

  static Map<String, Object> migration(MigrationHold hold, ShardRoute route, MigrationRecords records) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("migrationId", hold.migrationId());
    json.put("source", hold.source());
    json.put("target", hold.target());
    json.put("active", route.hold() != null && route.hold().migrationId().equals(hold.migrationId()));
    json.put("learner", records.learner(hold).map(VShardViewJson::learner).orElse(null));
    json.put("cutover", records.cutover(hold).map(VShardViewJson::cutover).orElse(null));
    return json;
  }

  static Map<String, Object> learner(LearnerResult r) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("state", r.state());
    json.put("logStartIndexAtJoin", r.logStartIndexAtJoin());
    json.put("commitIndexAtJoin", r.commitIndexAtJoin());
    return json;
  }

  static Map<String, Object> learnerReply(String migrationId, int v, LearnerResult r) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("migrationId", migrationId);
    json.put("vshard", v);
    json.put("target", r.target());
    json.put("source", r.source());
    json.putAll(learner(r));
    return json;
  }

  static Map<String, Object> cutover(CutOverResult r) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("state", r.state());
    json.put("step", r.step().name());
    json.put("estimateMicros", r.estimateMicros());
    json.put("budgetMicros", r.budgetMicros());
    json.put("pauseMicros", r.pauseMicros());
    json.put("epoch", r.epoch());
    json.put("message", r.message());
    json.put("transferLeadership", r.transferLeadership());
    json.put("runner", r.runner());
    return json;
  }

  static Map<String, Object> cutoverReply(String migrationId, CutOverResult r) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("migrationId", migrationId);
    json.putAll(cutover(r));
    return json;
  }
}
