package dev.vshard.node.raft;

import dev.vshard.node.routing.MetadataCommand;
import dev.vshard.node.routing.MetadataService;
import dev.vshard.node.routing.NodeAddress;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.ratis.proto.RaftProtos.RaftPeerRole;
import org.apache.ratis.protocol.RaftPeer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a node follow the routing table: registers it in the node directory and, unless it is one of the
 * metadata group's voters, adds it as a Ratis LISTENER (the node first hosts the group with an empty peer
 * list). Listeners of the metadata group are never promoted, so the listener-promotion problem of
 * DEPENDENCIES.md does not apply. A voter registers only when it came back without its replica: that one is
 * replaced ({@link MetadataVoterReplacement}). Every step is idempotent; a re-registering node repeats them.
 */
public final class MetadataFollowers {
  private static final Logger LOG = LoggerFactory.getLogger(MetadataFollowers.class);

  private final RaftNode raft;
  private final MetadataService metadata;
  private final MetadataMembership membership;
  private final MetadataVoterReplacement voters;

  public MetadataFollowers(RaftNode raft, MetadataService metadata) {
    this.raft = raft;
    this.metadata = metadata;
    this.membership = new MetadataMembership(raft);
    this.voters = new MetadataVoterReplacement(raft, membership);
  }

  public CompletableFuture<Void> addFollower(String nodeId, NodeAddress address) {
    CompletableFuture<?> registered = metadata.submit(new MetadataCommand.RegisterNode(nodeId, address));
    if (raft.metadataVotersAtBootstrap().contains(nodeId)) {
      return registered.thenCompose(table -> voters.replaceIfLost(nodeId, address));
    }
    return registered.thenCompose(table -> addListener(nodeId, address));
  }

  /** The metadata group's members as this node's replica knows them; empty without a replica. */
  public Optional<Members> members() {
    return raft.metadataDivision().map(d -> new Members(MembershipChange.ids(MembershipChange.voters(d.getRaftConf())),
        MembershipChange.ids(MembershipChange.listeners(d.getRaftConf())),
        d.getInfo().getLeaderId() == null ? null : d.getInfo().getLeaderId().toString()));
  }

  /** Voters and listeners by node id, sorted; the leader as this replica last heard of it (null: none known). */
  public record Members(List<String> voters, List<String> listeners, String leader) {
  }

  private CompletableFuture<Void> addListener(String nodeId, NodeAddress address) {
    RaftPeer listener = raft.peer(nodeId, address, RaftPeerRole.LISTENER);
    return membership.hostThenAdd(nodeId, address, conf -> MembershipChange.isListener(conf, nodeId),
            conf -> MembershipChange.addListener(conf, listener), "add " + nodeId + " as a metadata listener")
        .thenRun(() -> LOG.info("{} follows the metadata group as a listener", nodeId));
  }
}
