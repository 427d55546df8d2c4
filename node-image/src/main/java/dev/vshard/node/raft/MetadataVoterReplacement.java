package dev.vshard.node.raft;

import dev.vshard.node.routing.NodeAddress;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.proto.RaftProtos.RaftPeerRole;
import org.apache.ratis.protocol.GroupListReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftPeer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings back a voter of the metadata group whose node lost its replica (it restarted on an empty data dir and
 * registered again, see {@code ClusterEntry}), the way etcd replaces a member whose data is gone: first the
 * voter is removed from the configuration, then it is added again as a new member with an empty log. It must
 * not simply rejoin: having forgotten its log and its vote, it could help elect a leader that lacks committed
 * entries. Once removed it counts for nothing; added again through Ratis's staging, it votes only once it holds
 * the log (a snapshot install, then the entries after it). Meanwhile the group runs on the two other voters,
 * and both must be up for a commit.
 *
 * <p>Each step looks at the configuration first, so a repeated registration (the node retries until one
 * succeeds) resumes where the previous one stopped, and a voter that still has its replica is left alone.
 */
final class MetadataVoterReplacement {
  private static final Logger LOG = LoggerFactory.getLogger(MetadataVoterReplacement.class);

  private final RaftNode raft;
  private final MetadataMembership membership;

  MetadataVoterReplacement(RaftNode raft, MetadataMembership membership) {
    this.raft = raft;
    this.membership = membership;
  }

  CompletableFuture<Void> replaceIfLost(String nodeId, NodeAddress address) {
    RaftPeer voter = raft.peer(nodeId, address, RaftPeerRole.FOLLOWER);
    return raft.callBlocking(() -> {
      boolean voting = MembershipChange.isVoter(membership.current(), nodeId);
      if (voting && hostsMetadata(voter)) {
        return false; // its replica is there (removal always comes before the new replica is hosted)
      }
      if (voting) {
        LOG.warn("{} lost its replica of the metadata group: removing it from the voters, to add it again empty", nodeId);
        membership.change(conf -> MembershipChange.removeVoter(conf, nodeId), "remove the lost voter " + nodeId);
      }
      return true;
    }).thenCompose(replace -> !replace ? CompletableFuture.completedFuture(null)
        : raft.hostEmptyAt(nodeId, address, raft.groupIds().metadata()).thenCompose(hosted -> raft.callBlocking(() -> {
          // Ratis stages it: a voter once it has caught up with the log
          if (!MembershipChange.isVoter(membership.current(), nodeId)) {
            membership.change(conf -> MembershipChange.addVoter(conf, voter), "add " + nodeId + " again as a voter");
          }
          LOG.info("{} is a voter of the metadata group again, on a new replica", nodeId);
          return null;
        })));
  }

  private boolean hostsMetadata(RaftPeer node) throws IOException {
    try (RaftClient client = RaftClient.newBuilder().setProperties(RaftTuning.clientProperties())
        .setRaftGroup(RaftGroup.valueOf(raft.groupIds().metadata(), node)).build()) {
      GroupListReply groups = client.getGroupManagementApi(node.getId()).list();
      return groups.getGroupIds().contains(raft.groupIds().metadata());
    }
  }
}
