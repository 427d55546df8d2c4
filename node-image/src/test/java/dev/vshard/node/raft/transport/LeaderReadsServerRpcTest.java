package dev.vshard.node.raft.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.util.TimeDuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A linearizable read sent to a follower over the Netty transport is answered through the leader. Ratis's own
 * Netty server threw in its request handler (no asynchronous read-index call between servers) and the client
 * heard nothing: here each attempt would time out after 3 s and the client give up after 3 of them.
 */
class LeaderReadsServerRpcTest {
  @TempDir
  Path storage;

  @Test
  void aReadSentToAFollowerIsAnsweredByTheLeader() throws Exception {
    List<RaftServer> servers = new ArrayList<>();
    List<RaftPeer> peers = new ArrayList<>();
    try {
      for (String id : List.of("r0", "r1", "r2")) {
        RaftProperties p = NettyTransport.server(new RaftProperties(), "127.0.0.1", 0);
        RaftServerConfigKeys.setStorageDir(p, List.of(new File(storage.toFile(), id)));
        RaftServerConfigKeys.Read.setOption(p, RaftServerConfigKeys.Read.Option.LINEARIZABLE);
        RaftServer server = RaftServer.newBuilder().setServerId(RaftPeerId.valueOf(id)).setProperties(p)
            .setStateMachineRegistry(group -> new AnswersWithItsId()).build();
        server.start();
        servers.add(server);
        peers.add(RaftPeer.newBuilder().setId(id)
            .setAddress("127.0.0.1:" + server.getServerRpc().getInetSocketAddress().getPort()).build());
      }
      RaftGroup group = RaftGroup.valueOf(RaftGroupId.randomId(), peers);
      for (RaftPeer peer : peers) {
        try (RaftClient admin = client(group, peer.getId())) {
          assertThat(admin.getGroupManagementApi(peer.getId()).add(group).isSuccess()).isTrue();
        }
      }
      RaftServer.Division leader = await("a leader").atMost(Duration.ofSeconds(30)).until(
          () -> leaderOf(servers, group), d -> d != null);
      RaftPeerId follower = peers.stream().map(RaftPeer::getId).filter(id -> !id.equals(leader.getId()))
          .findFirst().orElseThrow();

      try (RaftClient client = client(group, follower)) {
        RaftClientReply reply = client.io().sendReadOnly(Message.valueOf("who"));
        assertThat(reply.isSuccess()).isTrue();
        assertThat(reply.getMessage().getContent().toStringUtf8()).isEqualTo("answered by " + leader.getId());
      }
    } finally {
      for (RaftServer server : servers) {
        server.close();
      }
    }
  }

  private static RaftServer.Division leaderOf(List<RaftServer> servers, RaftGroup group) throws Exception {
    for (RaftServer server : servers) {
      RaftServer.Division division = server.getDivision(group.getGroupId());
      if (division.getInfo().isLeader() && division.getInfo().isLeaderReady()) {
        return division;
      }
    }
    return null;
  }

  /** A client whose first request goes to {@code firstContact}. */
  private static RaftClient client(RaftGroup group, RaftPeerId firstContact) {
    RaftProperties p = NettyTransport.client(new RaftProperties());
    RaftClientConfigKeys.Rpc.setRequestTimeout(p, TimeDuration.valueOf(3, TimeUnit.SECONDS));
    return RaftClient.newBuilder().setProperties(p).setRaftGroup(group).setLeaderId(firstContact)
        .setRetryPolicy(RetryPolicies.retryUpToMaximumCountWithFixedSleep(3,
            TimeDuration.valueOf(100, TimeUnit.MILLISECONDS)))
        .build();
  }

  private static final class AnswersWithItsId extends BaseStateMachine {
    @Override
    public CompletableFuture<Message> query(Message request) {
      return CompletableFuture.completedFuture(Message.valueOf("answered by " + getId()));
    }
  }
}
