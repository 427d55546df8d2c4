package dev.vshard.node.routing;

import java.util.List;

/**
 * The routing entry of one vShard: its Raft voters and listeners, the last known leader (a hint),
 * the migration holding it ({@code null} when free), the migration that held it last (kept after release so
 * a repeated call is answered with the recorded result) and the epoch at which its membership last changed.
 */
public record ShardRoute(int vshard, List<String> voters, List<String> listeners, String leader,
                         MigrationHold hold, MigrationHold lastMigration, long epoch) {
  public ShardRoute {
    voters = List.copyOf(voters);
    listeners = List.copyOf(listeners == null ? List.of() : listeners);
  }

  public static ShardRoute initial(int vshard, List<String> voters, long epoch) {
    return new ShardRoute(vshard, voters, List.of(), null, null, null, epoch);
  }

  public boolean hasMember(String nodeId) {
    return voters.contains(nodeId) || listeners.contains(nodeId);
  }

  /**
   * Where a node with no view of its own sends a call for the leader: the hint while it names a voter, else
   * a voter, which knows its leader and relays ({@code null} with no voters). The hint can be missing (not
   * recorded yet) or name a node that has left the group since it led.
   */
  public String leaderOrAVoter() {
    if (leader != null && voters.contains(leader)) {
      return leader;
    }
    return voters.isEmpty() ? null : voters.get(0);
  }

  public ShardRoute withMembership(List<String> newVoters, List<String> newListeners, long newEpoch) {
    return new ShardRoute(vshard, newVoters, newListeners, leader, hold, lastMigration, newEpoch);
  }

  public ShardRoute withLeader(String newLeader) {
    return new ShardRoute(vshard, voters, listeners, newLeader, hold, lastMigration, epoch);
  }

  public ShardRoute withHold(MigrationHold newHold) {
    return new ShardRoute(vshard, voters, listeners, leader, newHold, lastMigration, epoch);
  }

  /** The hold is released: it becomes {@link #lastMigration}, steps included. */
  public ShardRoute released() {
    return new ShardRoute(vshard, voters, listeners, leader, null, hold, epoch);
  }
}
