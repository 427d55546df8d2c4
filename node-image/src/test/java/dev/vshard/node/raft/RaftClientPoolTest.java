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

  @Test
  void aClientClosedByAGroupMismatchIsReplacedAndTheNextSendSucceeds() throws Exception {
    RaftProperties properties = new RaftProperties();
    RaftServerConfigKeys.setStorageDir(properties, List.of(new File(storage.toFile(), "n0")));
    NettyTransport.server(properties, "127.0.0.1", 0);
    RaftServerConfigKeys.Rpc.setTimeoutMin(properties, TimeDuration.valueOf(300, TimeUnit.MILLISECONDS));
    RaftServerConfigKeys.Rpc.setTimeoutMax(properties, TimeDuration.valueOf(600, TimeUnit.MILLISECONDS));
    try (RaftServer server = RaftServer.newBuilder().setServerId(RaftPeerId.valueOf("n0")).setProperties(properties)
        .setStateMachineRegistry(gid -> new BaseStateMachine()).build();
         RaftClientPool pool = new RaftClientPool()) {
      server.start();
      RaftPeer peer = RaftPeer.newBuilder().setId("n0")
          .setAddress("127.0.0.1:" + server.getServerRpc().getInetSocketAddress().getPort()).build();
      RaftGroup group = RaftGroup.valueOf(RaftGroupId.randomId(), peer);

      assertThatThrownBy(() -> pool.send(group, Message.valueOf("early")).get(30, TimeUnit.SECONDS))
          .as("the server does not host the group yet").hasStackTraceContaining("GroupMismatchException");

      try (RaftClient admin = RaftClient.newBuilder().setProperties(NettyTransport.client(new RaftProperties()))

          .setRaftGroup(group).build()) {
        assertThat(admin.getGroupManagementApi(peer.getId()).add(group).isSuccess()).isTrue();
      }
      RaftClientReply reply = await("a send after the group exists").atMost(Duration.ofSeconds(30))
          .ignoreExceptionsMatching(e -> e.toString().contains("NotLeader") || e.toString().contains("LeaderNotReady"))
          .until(() -> pool.send(group, Message.valueOf("later")).get(30, TimeUnit.SECONDS), RaftClientReply::isSuccess);
      assertThat(reply.getLogIndex()).isPositive();
    }
  }
}
