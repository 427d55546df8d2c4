package dev.vshard.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vshard.node.kv.KvStateMachine;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.apache.ratis.server.RaftServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A voter that was down while the leader snapshotted and purged its log comes back, is told to install the
 * leader's snapshot, catches up from it and then follows the log again; the group keeps its leader throughout.
 */
class LaggingVoterTest {
  private static final int KEYS = 600;
  private LoopbackCluster cluster;

  @AfterEach
  void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void aVoterBehindThePurgedLogInstallsTheSnapshotAndFollowsAgain() throws Exception {
    cluster = LoopbackCluster.builder().nodes(3).replicationFactor(3).vshards(1)
        .writeBatchLimit(1).snapshotThreshold(100).clusterId("lagging").start();
    cluster.awaitAllReady();
    RaftServer.Division leader = await("a leader of vShard 0").atMost(Duration.ofSeconds(60))
        .until(this::leader, d -> d != null);
    int lagging = IntStream.range(0, 3).filter(i -> !cluster.nodeIdOf(i).equals(leader.getId().toString()))
        .findFirst().orElseThrow();
    List<Integer> up = IntStream.range(0, 3).filter(i -> i != lagging).boxed().toList();
    long appliedWhenStopped = cluster.node(lagging).raftNode().division(0).orElseThrow().getInfo()
        .getLastAppliedIndex();
    cluster.stop(lagging);

    DataClient client = new DataClient(cluster.http());
    byte[] value = new byte[1024];
    List<CompletableFuture<HttpResponse<byte[]>>> puts = DataClient.pipelined(KEYS, 16,
        i -> client.put(cluster.dataUri(up.get(i % 2)), "lag-" + i, value));
    puts.forEach(p -> assertThat(p.join().statusCode()).isEqualTo(200));
    await("the leader purged what the stopped voter lacks").atMost(Duration.ofSeconds(60))
        .until(() -> leader.getRaftLog().getStartIndex() > appliedWhenStopped + 1);

    cluster.restart(lagging);
    await("the voter caught up from a snapshot").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
        .until(() -> stateMachine(lagging).keyCount() == KEYS);
    assertThat(stateMachine(lagging).installedSnapshotBytes()).as("caught up by a snapshot install").isPositive();

    assertThat(client.put(cluster.dataUri(up.get(0)), "after", value).join().statusCode()).isEqualTo(200);
    await("the voter follows the log again").atMost(Duration.ofSeconds(30))
        .until(() -> stateMachine(lagging).localValue("after").isPresent());
    assertThat(leader()).as("the group kept its leader").isNotNull()
        .extracting(RaftServer.Division::getId).isEqualTo(leader.getId());
  }

  private KvStateMachine stateMachine(int node) {
    return cluster.node(node).raftNode().kvStateMachine(0).orElseThrow();
  }

  private RaftServer.Division leader() {
    for (int i = 0; i < cluster.size(); i++) {
      Node node = cluster.node(i);
      var division = node == null ? null : node.raftNode().division(0).orElse(null);
      if (division != null && division.getInfo().isLeader()) {
        return division;
      }
    }
    return null;
  }
}
