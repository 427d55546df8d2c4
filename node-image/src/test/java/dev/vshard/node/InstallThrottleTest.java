package dev.vshard.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vshard.node.kv.ReplicaStats;
import dev.vshard.node.raft.RaftNode;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.SetConfigurationRequest;
import org.apache.ratis.server.RaftServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A replica that joins after the leader purged its log gets a snapshot install, downloaded from the leader at
 * no more than {@code VSHARD_INSTALL_THROTTLE} bytes/s; the replica counts the bytes it received.
 */
class InstallThrottleTest {
  private static final long THROTTLE = 128 * 1024;
  private static final int KEYS = 700;
  private static LoopbackCluster cluster;

  @BeforeAll
  static void start() {
    cluster = LoopbackCluster.builder().nodes(4).replicationFactor(3).vshards(1)
        .writeBatchLimit(1).snapshotThreshold(100).installThrottle(THROTTLE).clusterId("throttle").start();
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void lateReplicaInstallsTheLeadersSnapshotAtTheThrottledRate() throws Exception {
    DataClient client = new DataClient(cluster.http());
    byte[] value = new byte[1024];
    List<CompletableFuture<HttpResponse<byte[]>>> puts = DataClient.pipelined(KEYS, 32, i -> client.put(cluster.dataUri(i % 3), "t-" + i, value));
    puts.forEach(p -> assertThat(p.join().statusCode()).isEqualTo(200));

    // vShard 0 lives on nodes 0..2; wait until its leader has snapshotted and purged the start of its log
    await("leader purged its log").atMost(Duration.ofSeconds(60)).until(() -> leader().getRaftLog().getStartIndex() > 0);
    RaftServer.Division leader = leader();
    RaftNode leaderNode = nodeOf(leader);
    String target = cluster.nodeIdOf(3);

    long start = System.nanoTime();
    leaderNode.hostAsNewMember(target, 0).join();
    var group = leaderNode.group(0, List.of(cluster.nodeIdOf(0), cluster.nodeIdOf(1), cluster.nodeIdOf(2)), List.of());
    CompletableFuture<RaftClientReply> added = leaderNode.callBlocking(() -> leaderNode.client(group).admin().setConfiguration(
        SetConfigurationRequest.Arguments.newBuilder().setMode(SetConfigurationRequest.Mode.ADD)
            .setServersInNewConf(List.of()).setListenersInNewConf(List.of(leaderNode.listenerPeerOf(target))).build()));

    await("snapshot installed on the new replica").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(50))
        .until(() -> cluster.node(3).replicaStats(0).map(ReplicaStats::snapshotInstalled).orElse(false));
    double seconds = (System.nanoTime() - start) / 1e9;
    assertThat(added.join().isSuccess()).isTrue();
    ReplicaStats stats = cluster.node(3).replicaStats(0).orElseThrow();
    // the installed one: the replica may already have taken a (larger) snapshot of its own after it
    long snapshotBytes = cluster.node(3).raftNode().kvStateMachine(0).orElseThrow().installedSnapshotBytes();
    System.out.printf("InstallThrottleTest: %d-byte snapshot installed in %.2f s at VSHARD_INSTALL_THROTTLE=%d B/s (floor %.2f s)%n",
        snapshotBytes, seconds, THROTTLE, snapshotBytes / (double) THROTTLE);

    assertThat(snapshotBytes).isGreaterThan(KEYS * 1024L / 2);
    assertThat(stats.bytesReceived()).isGreaterThanOrEqualTo(snapshotBytes);
    assertThat(stats.snapshotIndex()).isPositive();
    // the throttle is a guarantee: the transfer cannot be faster than size / rate
    assertThat(seconds).isGreaterThanOrEqualTo(0.9 * snapshotBytes / THROTTLE);
    await("listener caught up").atMost(Duration.ofSeconds(60))
        .until(() -> cluster.node(3).replicaStats(0).map(ReplicaStats::keys).orElse(0L) == KEYS);
  }

  private static RaftServer.Division leader() {
    for (int i = 0; i < 3; i++) {
      var division = cluster.node(i).raftNode().division(0);
      if (division.isPresent() && division.get().getInfo().isLeader()) {
        return division.get();
      }
    }
    throw new IllegalStateException("no leader of vShard 0 yet");
  }

  private static RaftNode nodeOf(RaftServer.Division division) {
    for (int i = 0; i < 3; i++) {
      if (cluster.nodeIdOf(i).equals(division.getId().toString())) {
        return cluster.node(i).raftNode();
      }
    }
    throw new IllegalStateException("unknown node " + division.getId());
  }
}
