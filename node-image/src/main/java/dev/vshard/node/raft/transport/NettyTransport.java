package dev.vshard.node.raft.transport;

import org.apache.ratis.RaftConfigKeys;
import org.apache.ratis.conf.Parameters;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.netty.NettyConfigKeys;
import org.apache.ratis.rpc.RpcFactory;
import org.apache.ratis.rpc.RpcType;
import org.apache.ratis.server.RaftServerConfigKeys;

/**
 * The Raft transport of every vshard server and client: Ratis's Netty RPC with a log appender that installs
 * snapshots by notification ({@link NotifyingLogAppender}). Ratis names a user-defined transport by the class
 * name of its {@link RpcType}, so it creates this class by reflection from the properties.
 *
 * <p>Why Netty and not Ratis's default gRPC: on the 4-node loopback cluster the same write benchmark made
 * 1.6x-2.1x the writes per second (docs/node-internals.md); a gRPC round costs far more CPU on a 2-core machine.
 * Why not Ratis's own Netty appender: it pushes snapshots in chunks, while BaseCopy relies on the replica
 * downloading a checked, throttleable snapshot over HTTP when the leader notifies it.
 */
public final class NettyTransport implements RpcType {
  /** Used by Ratis through reflection. */
  public NettyTransport() {
  }

  /**
   * Sets a server's properties to this transport, listening on {@code host:port} (0 picks a free port), with
   * snapshots installed by notification (what the appender does; a replica refuses a notice otherwise).
   */
  public static RaftProperties server(RaftProperties properties, String host, int port) {
    client(properties);
    RaftServerConfigKeys.Log.Appender.setInstallSnapshotEnabled(properties, false);
    NettyConfigKeys.Server.setHost(properties, host);
    NettyConfigKeys.Server.setPort(properties, port);
    return properties;
  }

  /** Sets a client's properties to this transport; a client must speak the servers' transport. */
  public static RaftProperties client(RaftProperties properties) {
    RaftConfigKeys.Rpc.setType(properties, new NettyTransport());
    return properties;
  }

  @Override
  public String name() {
    return NettyTransport.class.getName();
  }

  @Override
  public RpcFactory newFactory(Parameters parameters) {
    return new NotifyingNettyFactory(this, parameters);
  }
}
