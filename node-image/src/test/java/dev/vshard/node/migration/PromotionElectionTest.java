package dev.vshard.node.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vshard.node.raft.MembershipChange;
import dev.vshard.node.raft.transport.NettyTransport;
import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.proto.RaftProtos.AppendEntriesRequestProto;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftConfiguration;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.util.CodeInjectionForTesting;
import org.apache.ratis.util.TimeDuration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The leader dies in the middle of the cut-over's promotion, and a voter that holds the promotion's unfinished
 * configuration must be able to lead and finish it. Made deterministic on four real servers: the new
 * configuration's other members (the third voter and the target) are stopped before the promotion starts, and
 * the source refuses every stable configuration (Ratis's test hook at its appendEntries), so the source holds
 * the first joint configuration alone when the leader is stopped; the two are restarted. The source then holds
 * the longest log and is the only voter that can win an election, on that joint configuration; it leads and
 * then finishes the promotion, as a resumed cut-over does.
 *
 * <p>Promoting the listener in one change fails this test: the source is outside that change's new
 * configuration, and Ratis lets no such voter stand for election (it closes its division, NOT_IN_CONF), so
 * no one can win. (A voter of the new configuration elected on that joint configuration fails too, as the
 * target is both an old listener and a new voter in it: "Found duplicated element", the CutOverCrashTest
 * flake; that takes a leader death inside a window of milliseconds.) {@link RaftGroupAdmin#promoteAt} first
 * takes the listener out in a change that keeps every voter, then adds the target as a voter.
 */
class PromotionElectionTest {
  /** Ratis's injection point at the start of a follower's appendEntries handling. */
  private static final String APPEND_ENTRIES = "RaftServerImpl.appendEntries";
  private static final RaftGroupId GROUP = RaftGroupId.randomId();
  private static final List<String> OLD_VOTERS = List.of("n0", "n1", "n2");

  @TempDir
  Path storage;

  private final Map<String, RaftServer> servers = new LinkedHashMap<>();
  private final Map<String, RaftPeer> peers = new LinkedHashMap<>();
  private final ExecutorService promotions = Executors.newSingleThreadExecutor();

  @AfterEach
  void stopAll() throws Exception {
    CodeInjectionForTesting.remove(APPEND_ENTRIES);
    promotions.shutdownNow();
    for (RaftServer s : servers.values()) {
      s.close();
    }
  }

  @Test
  void aVoterElectedWhileThePromotionIsUnfinishedLeadsTheGroup() throws Exception {
    for (String id : List.of("n0", "n1", "n2", "n3")) {
      start(id, 0);
    }
    RaftGroup group = RaftGroup.valueOf(GROUP, OLD_VOTERS.stream().map(peers::get).toList());
    for (String node : OLD_VOTERS) {
      try (RaftClient c = client(group)) {
        assertThat(c.getGroupManagementApi(peers.get(node).getId()).add(group).isSuccess()).isTrue();
      }
    }
    RaftGroupAdmin admin = new RaftGroupAdmin(GROUP, peers::get);
    write(OLD_VOTERS, 20);
    RaftServer.Division leader = leader(OLD_VOTERS);
    admin.hostAsListener("n3", MembershipChange.voters(leader.getRaftConf()));
    admin.changeMembershipAt(leader, MembershipChange.addListener(leader.getRaftConf(), peers.get("n3")));
    write(OLD_VOTERS, 10);
    await("the listener caught up").atMost(Duration.ofSeconds(30)).until(() -> LeaderViewReader.read(0, leader(OLD_VOTERS)),
        v -> v.peer("n3").map(p -> p.lag() != null && p.lag() == 0).orElse(false));

    String leaderId = leader.getId().toString();
    List<String> others = OLD_VOTERS.stream().filter(n -> !n.equals(leaderId)).toList();
    String source = others.get(0);
    String third = others.get(1);
    int thirdPort = stop(third);
    int targetPort = stop("n3");

    // the source receives the promotion's joint configurations but no stable one (each such request fails),
    // so the leader is stopped with the first change unfinished
    CodeInjectionForTesting.put(APPEND_ENTRIES, (local, remote, args) -> {
      if (source.equals(String.valueOf(local)) && carriesStableConfiguration((AppendEntriesRequestProto) args[1])) {
        throw new IllegalStateException("PromotionElectionTest: the source takes no stable configuration now");
      }
      return false;
    });
    CompletableFuture<Void> promotion = CompletableFuture.runAsync(() -> {
      try {
        admin.promoteAt(leader, "n3", source);
      } catch (Exception e) {
        // the leader is stopped under it: the outcome is read off the group below
      }
    }, promotions);
    await("the promotion's joint configuration reached the source").atMost(Duration.ofSeconds(30))
        .until(() -> !servers.get(source).getDivision(GROUP).getRaftConf().getPreviousPeers().isEmpty());
    stop(leaderId);
    CodeInjectionForTesting.remove(APPEND_ENTRIES);
    start(third, thirdPort);
    start("n3", targetPort);

    List<String> survivors = List.of(source, third, "n3");
    RaftServer.Division elected = leader(survivors);
    assertThat(elected.getId().toString()).as("the only voter with the longest log").isEqualTo(source);
    assertThat(elected.getRaftConf().getPreviousPeers()).as("it leads on a stable configuration").isEmpty();
    write(List.of(source, third), 5);
    System.out.printf("PromotionElectionTest: %s leads after the leader's stop with configuration %s%n",
        elected.getId(), elected.getRaftConf());
    assertThat(promotion).as("the promotion's call returns once its leader is stopped").succeedsWithin(Duration.ofSeconds(60));

    // as a resumed cut-over does: the new leader finishes the promotion (the stopped leader leaves instead of
    // the source, which leads now); a leader elected on the first change's joint configuration had kept an
    // appender for the target, and adding it back failed until that appender ended itself
    List<MembershipChange> finished = await("the promotion finished at the new leader").atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(200)).ignoreExceptions()
        .until(() -> admin.promoteAt(leader(survivors), "n3", leaderId), changes -> true); // until it does not throw
    RaftConfiguration after = leader(survivors).getRaftConf();
    assertThat(MembershipChange.promoted(after, "n3", leaderId)).as(after.toString()).isTrue();
    assertThat(MembershipChange.isListener(after, "n3")).isFalse();
    write(survivors, 5);
    System.out.printf("PromotionElectionTest: promotion finished with %s%n", finished);
  }

  private static boolean carriesStableConfiguration(AppendEntriesRequestProto request) {
    return request.getEntriesList().stream().filter(LogEntryProto::hasConfigurationEntry)
        .map(LogEntryProto::getConfigurationEntry)
        .anyMatch(conf -> conf.getOldPeersCount() == 0 && conf.getOldListenersCount() == 0);
  }

  private void start(String id, int port) throws Exception {
    RaftProperties p = new RaftProperties();
    RaftServerConfigKeys.setStorageDir(p, List.of(new File(storage.toFile(), id)));
    NettyTransport.server(p, "127.0.0.1", port);
    RaftServerConfigKeys.Rpc.setTimeoutMin(p, TimeDuration.valueOf(500, TimeUnit.MILLISECONDS));
    RaftServerConfigKeys.Rpc.setTimeoutMax(p, TimeDuration.valueOf(1000, TimeUnit.MILLISECONDS));
    RaftServer server = RaftServer.newBuilder().setServerId(RaftPeerId.valueOf(id)).setProperties(p)
        .setOption(port == 0 ? RaftStorage.StartupOption.FORMAT : RaftStorage.StartupOption.RECOVER)
        .setStateMachineRegistry(gid -> new BaseStateMachine()).build();
    server.start();
    servers.put(id, server);
    peers.put(id, RaftPeer.newBuilder().setId(id)
        .setAddress("127.0.0.1:" + server.getServerRpc().getInetSocketAddress().getPort()).build());
  }

  /** Stops the server (its storage stays) and returns its port, to restart it at the same address. */
  private int stop(String id) throws Exception {
    RaftServer server = servers.remove(id);
    int port = server.getServerRpc().getInetSocketAddress().getPort();
    server.close();
    return port;
  }

  private RaftServer.Division leader(List<String> among) {
    return await("a ready leader among " + among).atMost(Duration.ofSeconds(30)).until(() -> among.stream()
        .map(servers::get).filter(Objects::nonNull).map(s -> {
          try {
            return s.getDivision(GROUP);
          } catch (Exception e) {
            return null;
          }
        }).filter(d -> d != null && d.getInfo().isLeader() && d.getInfo().isLeaderReady()).findFirst().orElse(null),
        Objects::nonNull);
  }

  private void write(List<String> voters, int n) throws Exception {
    try (RaftClient c = client(RaftGroup.valueOf(GROUP, voters.stream().map(peers::get).toList()))) {
      for (int i = 0; i < n; i++) {
        assertThat(c.io().send(Message.valueOf("w" + i)).isSuccess()).isTrue();
      }
    }
  }

  private static RaftClient client(RaftGroup group) {
    return RaftClient.newBuilder().setProperties(NettyTransport.client(new RaftProperties())).setRaftGroup(group).build();
  }
}
