package dev.vshard.node.migration;

import java.util.List;
import java.util.Optional;

/** A vShard group as its leader sees it at one instant (the replication part of GET /admin/v1/vshards/{v}). */
public record GroupView(int vshard, String leader, long term, long commitIndex, long logStartIndex, long lastIndex,
                        List<String> voters, List<String> listeners, List<PeerReplication> peers) {
  public GroupView {
    voters = List.copyOf(voters);
    listeners = List.copyOf(listeners);
    peers = List.copyOf(peers);
  }

  public Optional<PeerReplication> peer(String node) {
    return peers.stream().filter(p -> p.node().equals(node)).findFirst();
  }

  public boolean isVoter(String node) {
    return voters.contains(node);
  }

  public boolean isListener(String node) {
    return listeners.contains(node);
  }
}
