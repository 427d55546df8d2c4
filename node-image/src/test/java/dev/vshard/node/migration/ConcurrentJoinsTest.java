package dev.vshard.node.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vshard.node.DataClient;
import dev.vshard.node.LoopbackCluster;
import dev.vshard.node.admin.AdminClient;
import dev.vshard.node.admin.AdminClient.Reply;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Several vShards copied to one target at once: each leader notifies the target of a snapshot to install for
 * each of its groups, over the one connection it has to the target. Every join must end {@code Added} with the
 * data on the target. (With Ratis's Netty transport as is, two notices at once from one leader collided, and
 * the losing group's appender stopped for good: its join never ended. Two defences: {@code InstallNoticeLanes}
 * sends one notice at a time per follower, and the appender survives an unchecked failure of a call; with both
 * taken out this test fails, with either one it passes.)
 */
class ConcurrentJoinsTest {
  private static final long THROTTLE = 256 * 1024;
  private LoopbackCluster cluster;

  @AfterEach
  void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void everyVShardCopiedToOneTargetAtOnceIsAdded() throws Exception {
    cluster = LoopbackCluster.builder().nodes(3).replicationFactor(3).vshards(6)
        .writeBatchLimit(1).snapshotThreshold(50).installThrottle(THROTTLE).clusterId("joins").start();
    int target = cluster.startJoiner();
    AdminClient admin = new AdminClient(cluster.http(), cluster.authorization());
    DataClient data = new DataClient(cluster.http());
    byte[] value = new byte[4096]; // about 800 KB per vShard: more than one 256 KB log segment, so purges happen
    List<CompletableFuture<HttpResponse<byte[]>>> puts = DataClient.pipelined(1200, 32,
        i -> data.put(cluster.dataUri(i % 3), "cj-" + i, value));
    puts.forEach(p -> assertThat(p.join().statusCode()).isEqualTo(200));
    List<Integer> vshards = IntStream.range(0, 6).boxed().toList();
    for (int v : vshards) {
      await("vShard " + v + " purged its log").atMost(Duration.ofSeconds(60))
          .until(() -> view(admin, v).path("logStartIndex").asLong() > 0);
    }

    String targetId = cluster.nodeIdOf(target);
    // one caller per vShard, so the joins run at once whatever the machine's core count
    ExecutorService callers = Executors.newFixedThreadPool(vshards.size());
    try {
      List<CompletableFuture<Reply>> joins = new ArrayList<>();
      for (int v : vshards) {
        String body = AdminClient.learnerBody("cj-" + v, cluster.nodeIdOf(0));
        joins.add(CompletableFuture.supplyAsync(() -> await("vShard " + v + " added").atMost(Duration.ofSeconds(120))
            .pollInterval(Duration.ofMillis(200))
            .until(() -> admin.put(cluster.adminUri(v % 3), "/admin/v1/vshards/" + v + "/learners/" + targetId, body),
                r -> r.status() == 200), callers));
      }
      for (int i = 0; i < joins.size(); i++) {
        Reply added = joins.get(i).join();
        assertThat(added.body().path("state").asText()).as("vShard %d", i).isEqualTo("Added");
      }
    } finally {
      callers.shutdownNow();
    }
    long keysOnTarget = keysOn(target, vshards);
    await("the target holds every key").atMost(Duration.ofSeconds(60)).until(() -> keysOn(target, vshards) == 1200);
    System.out.printf("ConcurrentJoinsTest: %d vShards added to %s at once (%d keys there when the last was added)%n",
        vshards.size(), targetId, keysOnTarget);
  }

  private long keysOn(int node, List<Integer> vshards) {
    return vshards.stream().mapToLong(v -> cluster.node(node).replicaStats(v).map(s -> s.keys()).orElse(0L)).sum();
  }

  private JsonNode view(AdminClient admin, int v) {
    Reply reply = admin.get(cluster.adminUri(0), "/admin/v1/vshards/" + v);
    assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
    return reply.body();
  }
}
