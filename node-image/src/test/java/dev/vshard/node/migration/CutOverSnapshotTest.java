package dev.vshard.node.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vshard.node.DataClient;
import dev.vshard.node.LoopbackCluster;
import dev.vshard.node.admin.AdminClient;
import dev.vshard.node.admin.AdminClient.Reply;
import dev.vshard.node.raft.FileSnapshotStateMachine;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.ratis.server.RaftServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The cut-over's target joins the voters as a replica the leader stages anew (it leaves the listeners first),
 * and Ratis would have every staged replica install a snapshot. Its log is up to date, so it must not: here the
 * target caught up from the log alone (the leader had no snapshot when it joined), then the leader took one.
 * After the cut-over the target still has installed no snapshot, and holds every key.
 */
class CutOverSnapshotTest {
  private static final int KEYS = 200;
  private static final String PATH = "/admin/v1/vshards/0";

  private LoopbackCluster cluster;

  @AfterEach
  void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void theStagedTargetWithAnUpToDateLogInstallsNoSnapshot() throws Exception {
    // no automatic snapshot: the leader's log holds everything from the start
    cluster = LoopbackCluster.builder().nodes(4).replicationFactor(3).vshards(1).snapshotThreshold(1_000_000)
        .clusterId("stage").start();
    AdminClient admin = new AdminClient(cluster.http(), cluster.authorization());
    DataClient data = new DataClient(cluster.http());
    List<CompletableFuture<HttpResponse<byte[]>>> puts = DataClient.pipelined(KEYS, 32,
        i -> data.put(cluster.dataUri(i % 3), "s-" + i, ("v-" + i).getBytes()));
    puts.forEach(p -> assertThat(p.join().statusCode()).isEqualTo(200));
    JsonNode before = admin.get(cluster.adminUri(0), PATH).body();
    String leader = before.get("leader").asText();
    String target = cluster.nodeIdOf(3);
    String source = IntStream.range(0, 3).mapToObj(cluster::nodeIdOf).filter(n -> !n.equals(leader)).findFirst()
        .orElseThrow();

    Reply added = admin.addLearner(cluster.adminUri(1), PATH + "/learners/" + target, AdminClient.learnerBody("m", source));
    assertThat(added.status()).as(added.toString()).isEqualTo(200);
    assertThat(replica(admin).path("snapshotInstalled").asBoolean()).as("caught up from the log").isFalse();

    int leaderIndex = IntStream.range(0, 3).filter(i -> cluster.nodeIdOf(i).equals(leader)).findFirst().orElseThrow();
    RaftServer.Division leading = cluster.node(leaderIndex).raftNode().division(0).orElseThrow();
    long snapshot = ((FileSnapshotStateMachine) leading.getStateMachine()).snapshotNow().get(30, TimeUnit.SECONDS);
    assertThat(snapshot).as("the leader's snapshot index").isPositive();

    Reply accepted = admin.post(cluster.adminUri(leaderIndex), PATH + "/cutover",
        AdminClient.cutoverBody("m", source, target, 10_000_000, false));
    assertThat(accepted.status()).as(accepted.toString()).isEqualTo(202);
    JsonNode cutover = await("cut-over finished").atMost(Duration.ofSeconds(60))
        .until(() -> admin.get(cluster.adminUri(0), PATH).body().path("migration").path("cutover"),
            c -> !c.isMissingNode() && !c.isNull() && !"Running".equals(c.path("state").asText()));
    assertThat(cutover.path("state").asText()).as(cutover.toString()).isEqualTo("Completed");

    JsonNode promoted = replica(admin);
    System.out.printf("CutOverSnapshotTest: target after the cut-over %s, write pause %s us%n", promoted,
        cutover.path("pauseMicros").asText());
    assertThat(promoted.path("role").asText()).isIn("FOLLOWER", "LEADER");
    assertThat(promoted.path("snapshotInstalled").asBoolean()).as("no snapshot sent to the staged target: " + promoted)
        .isFalse();
    assertThat(promoted.path("keys").asLong()).isEqualTo(KEYS);
  }

  private JsonNode replica(AdminClient admin) {
    Reply reply = admin.get(cluster.adminUri(3), PATH + "/replica");
    assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
    return reply.body();
  }
}
