package dev.vshard.node.migration;

import dev.vshard.node.raft.MembershipChange;
import dev.vshard.node.routing.GroupIds;
import dev.vshard.node.routing.MetadataService;
import dev.vshard.node.routing.NodeAddress;
import java.io.IOException;
import java.util.Optional;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.server.RaftServer;

/** This node's access to vShard groups: its local divisions, and Ratis admin calls on any group. */
public final class VShardGroups {
  private final RaftServer server;
  private final GroupIds groupIds;
  private final MetadataService metadata;

  public VShardGroups(RaftServer server, GroupIds groupIds, MetadataService metadata) {
    this.server = server;
    this.groupIds = groupIds;
    this.metadata = metadata;
  }

  /** This node's division of vShard {@code v}, empty when it hosts none. */
  public Optional<RaftServer.Division> division(int v) {
    try {
      return Optional.of(server.getDivision(groupIds.vshard(v)));
    } catch (IOException notHosted) {
      return Optional.empty();
    }
  }

  /** Whether this node hosts a replica of {@code v} (asked without the exception {@link #division} costs). */
  public boolean hosts(int v) {
    for (var id : server.getGroupIds()) {
      if (id.equals(groupIds.vshard(v))) {
        return true;
      }
    }
    return false;
  }

  /** This node's division of {@code v} if it is the group's leader; otherwise {@link NotLeaderHereException}. */
  public RaftServer.Division leaderDivision(int v) {
    RaftServer.Division division = division(v).orElseThrow(() -> new NotLeaderHereException(v, null));
    if (!division.getInfo().isLeader()) {
      var leader = division.getInfo().getLeaderId();
      throw new NotLeaderHereException(v, leader == null ? null : leader.toString());
    }
    return division;
  }

  /**
   * Whether a cut-over's membership change to {@code target} began as this node's replica of {@code v} sees it
   * ({@link MembershipChange#promotionBegun}); false when it hosts none.
   */
  public boolean promotionBegun(int v, String target) {
    return division(v).map(d -> MembershipChange.promotionBegun(d.getRaftConf(), target)).orElse(false);
  }

  /** Removes this node's own replica of {@code v} and its data, in process. Idempotent. */
  public void removeOwnReplica(int v) throws IOException {
    admin(v).removeGroupAt(server, true);
  }

  public RaftGroupAdmin admin(int v) {
    return new RaftGroupAdmin(groupIds.vshard(v), this::peer);
  }

  public RaftPeer peer(String nodeId) {
    return RaftPeer.newBuilder().setId(nodeId).setAddress(address(nodeId).raftAddress()).build();
  }

  public NodeAddress address(String nodeId) {
    return metadata.current().node(nodeId).orElseThrow(
        () -> new IllegalStateException("node '" + nodeId + "' is not in the node directory"));
  }
}
