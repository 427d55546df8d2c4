package dev.vshard.node.raft.transport;

import org.apache.ratis.client.ClientFactory;
import org.apache.ratis.client.RaftClientRpc;
import org.apache.ratis.conf.Parameters;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.netty.NettyFactory;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.rpc.RpcType;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.server.RaftServerRpc;
import org.apache.ratis.server.ServerFactory;
import org.apache.ratis.server.leader.FollowerInfo;
import org.apache.ratis.server.leader.LeaderState;
import org.apache.ratis.server.leader.LogAppender;

/**
 * Ratis's Netty servers and clients, with two changes: every leader's appender is a {@link NotifyingLogAppender}
 * while snapshots are installed by notification (a server set to push snapshots keeps Ratis's own appender,
 * which does that), a follower's linearizable read is sent on to the leader ({@link LeaderReadsServerRpc}), and a
 * request that fails unexpectedly gets an error reply ({@link FailureReplyingServer}).
 */
final class NotifyingNettyFactory implements ServerFactory, ClientFactory {
  private final NettyFactory netty;
  private final RpcType type;
  private final InstallNoticeLanes noticeLanes = new InstallNoticeLanes();
  private final FollowerProgress progress = new FollowerProgress();

  NotifyingNettyFactory(RpcType type, Parameters parameters) {
    this.type = type;
    this.netty = new NettyFactory(parameters);
  }

  @Override
  public RpcType getRpcType() {
    return type;
  }

  @Override
  public RaftServerRpc newRaftServerRpc(RaftServer server) {
    return new LeaderReadsServerRpc(server, netty.newRaftServerRpc(FailureReplyingServer.of(server)));
  }

  @Override
  public RaftClientRpc newRaftClientRpc(ClientId clientId, RaftProperties properties) {
    return netty.newRaftClientRpc(clientId, properties);
  }

  @Override
  public LogAppender newLogAppender(RaftServer.Division server, LeaderState state, FollowerInfo follower) {
    if (RaftServerConfigKeys.Log.Appender.installSnapshotEnabled(server.getRaftServer().getProperties())) {
      return LogAppender.newLogAppenderDefault(server, state, follower);
    }
    return new NotifyingLogAppender(server, state, follower, noticeLanes, progress);
  }

  FollowerProgress progress() {
    return progress;
  }
}
