package dev.vshard.node.raft;

import dev.vshard.node.routing.MetadataCommand;
import dev.vshard.node.routing.MetadataService;
import dev.vshard.node.routing.NodeAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.ratis.proto.RaftProtos.RaftPeerRole;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.SetConfigurationRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a node follow the routing table: registers it in the node directory and, unless it is already a
 * member of the metadata group, adds it as a Ratis LISTENER (the node first hosts the group with an empty
 * peer list). Listeners of the metadata group are never promoted, so the listener-promotion problem of
 * DEPENDENCIES.md does not apply. Every step is idempotent; a restarted or re-registering node repeats them.
 */
public final class MetadataFollowers {
  private static final Logger LOG = LoggerFactory.getLogger(MetadataFollowers.class);

  private final RaftNode raft;
  private final MetadataService metadata;

  public MetadataFollowers(RaftNode raft, MetadataService metadata) {
    this.raft = raft;
    this.metadata = metadata;
  }

  public CompletableFuture<Void> addFollower(String nodeId, NodeAddress address) {
    CompletableFuture<?> registered = metadata.submit(new MetadataCommand.RegisterNode(nodeId, address));
    if (raft.metadataVotersAtBootstrap().contains(nodeId)) {
      return registered.thenApply(table -> null); // a voter of the metadata group follows it already
    }
    // ADD of a listener that is already in the configuration is answered "no change" by Ratis: idempotent
    return registered.thenCompose(table -> addListener(nodeId, address));
  }

  private CompletableFuture<Void> addListener(String nodeId, NodeAddress address) {
    RaftPeer listener = raft.peer(nodeId, address, RaftPeerRole.LISTENER);
    return raft.hostEmptyAt(nodeId, address, raft.groupIds().metadata())
        .thenCompose(hosted -> raft.callBlocking(() -> {
          RaftClientReply reply = raft.client(raft.metadataGroup()).admin().setConfiguration(
              SetConfigurationRequest.Arguments.newBuilder()
                  .setMode(SetConfigurationRequest.Mode.ADD)
                  .setServersInNewConf(List.of())
                  .setListenersInNewConf(List.of(listener))
                  .build());
          if (!reply.isSuccess()) {
            throw new IllegalStateException("adding " + nodeId + " as a metadata listener failed", reply.getException());
          }
          LOG.info("{} follows the metadata group as a listener", nodeId);
          return null;
        }));
  }
}
