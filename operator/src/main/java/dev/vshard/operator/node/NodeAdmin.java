package dev.vshard.operator.node;

import java.util.List;

/**
 * The node admin API (docs/contract.md) of one node cluster. Every mutating call carries the
 * migration id and may be repeated: the node answers a repeat with the recorded result.
 */
public interface NodeAdmin {

  /** {@code GET /v1/routing} from any node. */
  RoutingTable routing();

  /** {@code GET /admin/v1/vshards/{v}}: the leader's view (any node forwards). */
  VShardView vshard(int vshard);

  /** {@code GET /admin/v1/vshards/{v}/replica} on {@code node} itself. */
  ReplicaView replica(String node, int vshard);

  /** {@code PUT /admin/v1/vshards/{v}/learners/{target}}: phase 1. */
  LearnerAdded addLearner(int vshard, String target, String source, String migrationId);

  /** {@code DELETE /admin/v1/vshards/{v}/learners/{target}}: rollback before the cut-over. */
  void removeLearner(int vshard, String target, String migrationId);

  /** {@code POST /admin/v1/vshards/{v}/cutover}. */
  CutOverAnswer requestCutOver(int vshard, CutOverRequest request);

  /** {@code DELETE /admin/v1/vshards/{v}/migration}: release an orphaned hold; returns the final state. */
  String releaseHold(int vshard, String migrationId);

  /** {@code GET /admin/v1/ghosts}, raw. */
  List<java.util.Map<String, Object>> ghosts();
}
