package dev.vshard.node.raft;

import dev.vshard.node.routing.NodeAddress;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import org.apache.ratis.proto.RaftProtos.RaftPeerRole;
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
    return raft.callBlocking(() -> removeIfLost(nodeId, address)).thenCompose(lost -> !lost
        ? CompletableFuture.completedFuture(null)
        : membership.hostThenAdd(nodeId, address, conf -> MembershipChange.isVoter(conf, nodeId),
                conf -> MembershipChange.addVoter(conf, voter), "add " + nodeId + " again as a voter")
            .thenRun(() -> LOG.info("{} is a voter of the metadata group again, on a new replica", nodeId)));
  }

  /**
   * Whether the node lost its replica: false for a voter that still hosts one (removal always comes before the
   * new replica is hosted); a voter without one is removed here; a node already out is on its way back.
   */
  private boolean removeIfLost(String nodeId, NodeAddress address) throws IOException {
    if (!MembershipChange.isVoter(membership.current(), nodeId)) {
      return true;
    }
    if (raft.hosts(nodeId, address, raft.groupIds().metadata())) {
      return false;
    }
    LOG.warn("{} lost its replica of the metadata group: removing it from the voters, to add it again empty", nodeId);
    membership.change(conf -> MembershipChange.removeVoter(conf, nodeId), "remove the lost voter " + nodeId);
    return true;
  }
}
