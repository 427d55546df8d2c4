package dev.vshard.node.raft;

import dev.vshard.node.routing.NodeAddress;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Predicate;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.server.RaftConfiguration;

/**
 * Membership changes of the metadata group, made from any node that hosts a replica of it: each is a
 * compare-and-set ({@link MembershipChange}) built on this replica's view of the configuration and sent to the
 * leader. A view that is behind the leader's (a change this replica has not applied yet, or a concurrent
 * registration) is refused by Ratis and changes nothing; the caller's retry (a node registers until one call
 * succeeds, the bootstrap retries its steps) then builds it on the newer view.
 */
final class MetadataMembership {
  private final RaftNode raft;

  MetadataMembership(RaftNode raft) {
    this.raft = raft;
  }

  /** This replica's configuration; fails on a node without one (it cannot build a change). */
  RaftConfiguration current() {
    return raft.metadataDivision().map(d -> d.getRaftConf())
        .filter(conf -> !conf.getCurrentPeers().isEmpty())
        .orElseThrow(() -> new IllegalStateException("this node has no replica of the metadata group to build a membership change on"));
  }

  /** Applies {@code change} to {@link #current()} at the leader; returns once it is committed (a new voter: staged first). */
  void change(Function<RaftConfiguration, MembershipChange> change, String what) throws IOException {
    MembershipChange request = change.apply(current());
    RaftClientReply reply = raft.client(raft.metadataGroup()).admin().setConfiguration(request.arguments());
    if (!reply.isSuccess()) {
      throw new IOException(what + " (" + request + ") failed: " + reply.getException(), reply.getException());
    }
  }

  /**
   * Makes {@code nodeId} host the group with no peers, then, unless {@code added} says it is in the configuration
   * already (a repeat), applies {@code add}: Ratis stages the new peer and commits once it has caught up.
   */
  CompletableFuture<Void> hostThenAdd(String nodeId, NodeAddress address, Predicate<RaftConfiguration> added,
                                      Function<RaftConfiguration, MembershipChange> add, String what) {
    return raft.hostEmptyAt(nodeId, address, raft.groupIds().metadata()).thenCompose(hosted -> raft.callBlocking(() -> {
      if (!added.test(current())) {
        change(add, what);
      }
      return null;
    }));
  }
}
