package dev.vshard.node.raft;

import dev.vshard.node.raft.transport.NettyTransport;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.util.TimeDuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bootstrap race found by bench/side-by-side.sh: a node that registers itself while the initiator is
 * still creating the metadata group makes the pooled client meet a server without the group. Ratis then
 * closes that client for good; the pool must hand out a new one, or the bootstrap retries fail forever.
 */
class RaftClientPoolTest {
  @TempDir
  Path storage;

  private RaftServer server(String id) throws Exception {
    RaftProperties properties = new RaftProperties();
    RaftServerConfigKeys.setStorageDir(properties, List.of(new File(storage.toFile(), id)));
    NettyTransport.server(properties, "127.0.0.1", 0);
    RaftServerConfigKeys.Rpc.setTimeoutMin(properties, TimeDuration.valueOf(300, TimeUnit.MILLISECONDS));
    RaftServerConfigKeys.Rpc.setTimeoutMax(properties, TimeDuration.valueOf(600, TimeUnit.MILLISECONDS));
    RaftServer server = RaftServer.newBuilder().setServerId(RaftPeerId.valueOf(id)).setProperties(properties)
        .setStateMachineRegistry(gid -> new BaseStateMachine()).build();
    server.start();
    return server;
  }

  private static RaftPeer peerOf(RaftServer server) {
    return RaftPeer.newBuilder().setId(server.getId())
        .setAddress("127.0.0.1:" + server.getServerRpc().getInetSocketAddress().getPort()).build();
  }

  private static void host(RaftGroup group, RaftPeer on) throws Exception {
    try (RaftClient admin = RaftClient.newBuilder().setProperties(NettyTransport.client(new RaftProperties()))
        .setRaftGroup(group).build()) {
      assertThat(admin.getGroupManagementApi(on.getId()).add(group).isSuccess()).isTrue();
    }
  }

  /**
   * A node back on an empty data dir answers, but hosts nothing: every client that tried it first failed. The
   * client that replaces one closed that way starts at the next peer.
   */
  @Test
  void aPeerThatDoesNotHostTheGroupIsNotTriedFirstAgain() throws Exception {
    try (RaftServer a = server("a"); RaftServer b = server("b"); RaftClientPool pool = new RaftClientPool()) {
      RaftGroup listed = RaftGroup.valueOf(RaftGroupId.randomId(), peerOf(a), peerOf(b));
      // a new client tries the group's first peer first: that one is the empty node, the other hosts the group
      RaftServer hosting = listed.getPeers().iterator().next().getId().equals(a.getId()) ? b : a;
      host(RaftGroup.valueOf(listed.getGroupId(), peerOf(hosting)), peerOf(hosting));

      assertThatThrownBy(() -> pool.send(listed, Message.valueOf("first")).get(30, TimeUnit.SECONDS))
          .hasStackTraceContaining("GroupMismatchException");
      RaftClientReply reply = await("a send once the leader is ready").atMost(Duration.ofSeconds(30))
          .ignoreExceptionsMatching(e -> e.toString().contains("NotLeader") || e.toString().contains("LeaderNotReady"))
          .until(() -> pool.send(listed, Message.valueOf("next")).get(30, TimeUnit.SECONDS), RaftClientReply::isSuccess);
      assertThat(reply.getServerId()).isEqualTo(hosting.getId());
    }
  }

  @Test
  void aClientClosedByAGroupMismatchIsReplacedAndTheNextSendSucceeds() throws Exception {
    try (RaftServer server = server("n0"); RaftClientPool pool = new RaftClientPool()) {
      RaftPeer peer = peerOf(server);
      RaftGroup group = RaftGroup.valueOf(RaftGroupId.randomId(), peer);

      assertThatThrownBy(() -> pool.send(group, Message.valueOf("early")).get(30, TimeUnit.SECONDS))
          .as("the server does not host the group yet").hasStackTraceContaining("GroupMismatchException");

      host(group, peer);
      RaftClientReply reply = await("a send after the group exists").atMost(Duration.ofSeconds(30))
          .ignoreExceptionsMatching(e -> e.toString().contains("NotLeader") || e.toString().contains("LeaderNotReady"))
          .until(() -> pool.send(group, Message.valueOf("later")).get(30, TimeUnit.SECONDS), RaftClientReply::isSuccess);
      assertThat(reply.getLogIndex()).isPositive();
    }
  }
}
