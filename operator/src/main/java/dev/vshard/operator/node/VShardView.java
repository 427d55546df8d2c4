package dev.vshard.operator.node;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import java.util.List;
import java.util.Optional;

/** {@code GET /admin/v1/vshards/{v}}: the group leader's view of one vShard. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record VShardView(int vshard, long epoch, String leader, long term, long commitIndex, long logStartIndex,
                         List<String> voters, List<String> listeners, List<PeerView> peers, MigrationHold migration) {

  public Optional<PeerView> peer(String node) {
    return peers == null ? Optional.empty() : peers.stream().filter(p -> node.equals(p.node())).findFirst();
  }

  public boolean isVoter(String node) {
    return voters != null && voters.contains(node);
  }

  public boolean isListener(String node) {
    return listeners != null && listeners.contains(node);
  }

  /** The hold, if the given migration holds this vShard. */
  public Optional<MigrationHold> heldBy(String migrationId) {
    return migration != null && migrationId.equals(migration.migrationId()) ? Optional.of(migration) : Optional.empty();
  }
}
