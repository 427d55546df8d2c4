package dev.vshard.node.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vshard.node.DataClient;
import dev.vshard.node.LoopbackCluster;
import dev.vshard.node.admin.AdminClient;
import dev.vshard.node.kv.ReplicaStats;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.ratis.server.RaftServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A learner joining a vShard whose log holds more than {@link JoinSnapshot#WORTH_A_SNAPSHOT_BYTES} since the
 * last snapshot gets the leader's fresh snapshot (read while written, or after) instead of a log replay, with the default snapshot
 * threshold (10,000 entries, far more than written here). vShard 0 lives on nodes 0..2, node 3 is outside.
 */
class JoinSnapshotTest {
  private static final int VALUES = 96;
  private static final int VALUE_BYTES = 64 * 1024; // 6 MB in all, over the 4 MB that is worth a snapshot
  private static LoopbackCluster cluster;

  @BeforeAll
  static void start() {
    cluster = LoopbackCluster.builder().nodes(4).replicationFactor(3).vshards(1).clusterId("joinsnap").start();
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void aLearnerJoiningALongLogInstallsASnapshotTakenForIt() throws Exception {
    DataClient data = new DataClient(cluster.http());
    List<CompletableFuture<HttpResponse<byte[]>>> puts = DataClient.pipelined(VALUES, 8,
        i -> data.put(cluster.dataUri(i % 3), "big-" + i, value(i)));
    puts.forEach(p -> assertThat(p.join().statusCode()).isEqualTo(200));
    RaftServer.Division leader = leader();
    assertThat(leader.getRaftLog().getStartIndex()).as("no automatic snapshot purged the log yet").isZero();

    String target = cluster.nodeIdOf(3);
    String source = cluster.nodeIdOf(leader.getId().toString().equals(cluster.nodeIdOf(0)) ? 1 : 0);
    AdminClient admin = new AdminClient(cluster.http(), cluster.authorization());
    AdminClient.Reply added = admin.addLearner(cluster.adminUri(0), "/admin/v1/vshards/0/learners/" + target,
        AdminClient.learnerBody("join-snap", source));
    assertThat(added.status()).as("learner add: %s", added).isEqualTo(200);

    await("the learner holds every value").atMost(Duration.ofSeconds(60))
        .until(() -> cluster.node(3).replicaStats(0).map(ReplicaStats::keys).orElse(0L) == VALUES);
    ReplicaStats stats = cluster.node(3).replicaStats(0).orElseThrow();
    assertThat(stats.snapshotInstalled()).as("installed a snapshot instead of replaying the log").isTrue();
    // the learner may have read the snapshot while the leader wrote it: the purge follows once the leader reports it
    await("the leader purges its log up to the snapshot").atMost(Duration.ofSeconds(30))
        .until(() -> leader().getRaftLog().getStartIndex() > 0);
    for (int i = 0; i < VALUES; i += 17) {
      byte[] expected = value(i);
      assertThat(cluster.node(3).raftNode().kvStateMachine(0).orElseThrow().localValue("big-" + i))
          .hasValueSatisfying(v -> assertThat(v).isEqualTo(expected));
    }
  }

  private static byte[] value(int i) {
    byte[] value = new byte[VALUE_BYTES];
    Arrays.fill(value, (byte) i);
    return value;
  }

  private static RaftServer.Division leader() {
    return await("a leader of vShard 0").atMost(Duration.ofSeconds(30)).until(() -> {
      for (int i = 0; i < 3; i++) {
        var division = cluster.node(i).raftNode().division(0);
        if (division.isPresent() && division.get().getInfo().isLeader()) {
          return division.get();
        }
      }
      return null;
    }, d -> d != null);
  }
}
