package dev.vshard.node.raft.transport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Collection;
import java.util.concurrent.CompletableFuture;
import org.apache.ratis.proto.RaftProtos.AppendEntriesReplyProto;
import org.apache.ratis.proto.RaftProtos.AppendEntriesRequestProto;
import org.apache.ratis.proto.RaftProtos.InstallSnapshotReplyProto;
import org.apache.ratis.proto.RaftProtos.InstallSnapshotRequestProto;
import org.apache.ratis.proto.RaftProtos.ReadIndexReplyProto;
import org.apache.ratis.proto.RaftProtos.ReadIndexRequestProto;
import org.apache.ratis.proto.RaftProtos.RequestVoteReplyProto;
import org.apache.ratis.proto.RaftProtos.RequestVoteRequestProto;
import org.apache.ratis.proto.RaftProtos.StartLeaderElectionReplyProto;
import org.apache.ratis.proto.RaftProtos.StartLeaderElectionRequestProto;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.protocol.exceptions.NotLeaderException;
import org.apache.ratis.rpc.RpcType;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.RaftServerRpc;
import org.apache.ratis.server.protocol.RaftServerAsynchronousProtocol;

/**
 * Ratis's Netty server RPC, which has no asynchronous calls between servers. A linearizable read that reaches
 * a follower needs one (the follower asks the leader for a read index): without it Ratis threw out of the
 * request handler and the client heard nothing until its 10 s timeout. Here the follower answers at once that
 * it is not the leader, naming the leader, and the client sends the read there.
 */
final class LeaderReadsServerRpc implements RaftServerRpc {
  private final RaftServer server;
  private final RaftServerRpc netty;
  private final RaftServerAsynchronousProtocol async = new RaftServerAsynchronousProtocol() {
    @Override
    public CompletableFuture<AppendEntriesReplyProto> appendEntriesAsync(AppendEntriesRequestProto request) {
      // only Ratis's gRPC appender calls this; ours sends appendEntries one at a time
      return CompletableFuture.failedFuture(new UnsupportedOperationException("asynchronous appendEntries"));
    }

    @Override
    public CompletableFuture<ReadIndexReplyProto> readIndexAsync(ReadIndexRequestProto request) throws IOException {
      return CompletableFuture.failedFuture(notLeader(request));
    }
  };

  LeaderReadsServerRpc(RaftServer server, RaftServerRpc netty) {
    this.server = server;
    this.netty = netty;
  }

  private NotLeaderException notLeader(ReadIndexRequestProto request) throws IOException {
    RaftGroupId groupId = RaftGroupId.valueOf(request.getServerRequest().getRaftGroupId().getId());
    RaftServer.Division division = server.getDivision(groupId);
    RaftPeerId leaderId = division.getInfo().getLeaderId();
    RaftPeer leader = leaderId == null ? null : division.getRaftConf().getPeer(leaderId);
    return new NotLeaderException(division.getMemberId(), leader, division.getRaftConf().getCurrentPeers());
  }

  @Override
  public RaftServerAsynchronousProtocol async() {
    return async;
  }

  @Override
  public void start() throws IOException {
    netty.start();
  }

  @Override
  public void close() throws IOException {
    netty.close();
  }

  @Override
  public InetSocketAddress getInetSocketAddress() {
    return netty.getInetSocketAddress();
  }

  @Override
  public RpcType getRpcType() {
    return netty.getRpcType();
  }

  @Override
  public void addRaftPeers(Collection<RaftPeer> peers) {
    netty.addRaftPeers(peers);
  }

  @Override
  public void handleException(RaftPeerId peer, Exception e, boolean reconnect) {
    netty.handleException(peer, e, reconnect);
  }

  @Override
  public void notifyNotLeader(RaftGroupId groupId) {
    netty.notifyNotLeader(groupId);
  }

  @Override
  public RequestVoteReplyProto requestVote(RequestVoteRequestProto request) throws IOException {
    return netty.requestVote(request);
  }

  @Override
  public AppendEntriesReplyProto appendEntries(AppendEntriesRequestProto request) throws IOException {
    return netty.appendEntries(request);
  }

  @Override
  public InstallSnapshotReplyProto installSnapshot(InstallSnapshotRequestProto request) throws IOException {
    return netty.installSnapshot(request);
  }

  @Override
  public StartLeaderElectionReplyProto startLeaderElection(StartLeaderElectionRequestProto request)
      throws IOException {
    return netty.startLeaderElection(request);
  }
}
