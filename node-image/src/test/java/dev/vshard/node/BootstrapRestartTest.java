package dev.vshard.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The initiator (ordinal 0) is killed with SIGKILL in the middle of the bootstrap: the routing table is
 * committed, the cluster is not marked bootstrapped yet (it is adding the fourth member to the metadata group
 * and creating the vShard groups). Restarted, it repeats the remaining steps (each is idempotent, the
 * committed table decides), and the cluster comes up whole: every member ready, the planned placement, every
 * vShard taking writes that read back through every node.
 */
class BootstrapRestartTest {
  private static final int MEMBERS = 4;
  private static final int V = 16;
  private static final int KEYS = 200;

  @TempDir
  Path root;

  private ProcessCluster cluster;

  @AfterEach
  void stopAll() throws Exception {
    cluster.close();
  }

  @Test
  void anInitiatorKilledMidBootstrapFinishesItAfterARestart() throws Exception {
    cluster = new ProcessCluster(root, "boot", MEMBERS, V);
    cluster.startMembers("first");
    JsonNode midway = await("the routing table committed").atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(10)).ignoreExceptions()
        .until(() -> cluster.routing(1), table -> table.path("shards").size() == V);
    assertThat(midway.path("bootstrapped").asBoolean()).as("seen before the bootstrap finished: %s", midway).isFalse();
    NodeProcess initiator = cluster.process(0);
    initiator.kill();
    assertThat(initiator.output()).as("the first initiator died before it finished").doesNotContain("is bootstrapped");

    cluster.start(0, "restarted");
    cluster.awaitReady(MEMBERS);
    JsonNode table = cluster.routing(0);
    assertThat(table.path("bootstrapped").asBoolean()).isTrue();
    for (JsonNode shard : table.path("shards")) {
      int v = shard.path("vshard").asInt();
      assertThat(shard.path("voters")).extracting(JsonNode::asText).as("vShard %d", v)
          .containsExactly(cluster.nodeId(v % MEMBERS), cluster.nodeId((v + 1) % MEMBERS), cluster.nodeId((v + 2) % MEMBERS));
    }

    DataClient data = new DataClient(cluster.http());
    List<CompletableFuture<HttpResponse<byte[]>>> puts = DataClient.pipelined(KEYS, 32,
        i -> data.put(cluster.dataUri(i % MEMBERS), "b-" + i, ("v-" + i).getBytes(StandardCharsets.UTF_8)));
    for (int i = 0; i < KEYS; i++) {
      HttpResponse<byte[]> put = puts.get(i).join();
      assertThat(put.statusCode()).as("b-%d: %s", i, new String(put.body(), StandardCharsets.UTF_8)).isEqualTo(200);
    }
    for (int node = 0; node < MEMBERS; node++) {
      int through = node;
      List<CompletableFuture<HttpResponse<byte[]>>> gets = DataClient.pipelined(KEYS, 32, i -> data.get(cluster.dataUri(through), "b-" + i));
      for (int i = 0; i < KEYS; i++) {
        HttpResponse<byte[]> get = gets.get(i).join();
        assertThat(get.statusCode()).as("b-%d through node %d", i, through).isEqualTo(200);
        assertThat(new String(get.body(), StandardCharsets.UTF_8)).isEqualTo("v-" + i);
      }
    }
  }
}
