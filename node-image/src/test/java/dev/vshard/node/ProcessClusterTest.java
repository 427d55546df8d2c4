package dev.vshard.node;

import static dev.vshard.node.admin.VShardView.texts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vshard.node.admin.AdminClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Nodes as real JVM processes: a full stop and restart keeps data and routing; a node started later joins. */
class ProcessClusterTest {
  private static final int MEMBERS = 4;
  private static final int KEYS = 300;

  @TempDir
  Path root;

  private ProcessCluster cluster;

  @AfterEach
  void stopAll() throws Exception {
    cluster.close();
  }

  @Test
  void fullRestartKeepsDataAndRoutingAndALaterNodeJoins() throws Exception {
    cluster = new ProcessCluster(root, "proc", MEMBERS, 4);
    List<NodeProcess> first = cluster.startMembers("first");
    cluster.awaitReady(MEMBERS);
    DataClient client = new DataClient(cluster.http());
    List<CompletableFuture<HttpResponse<byte[]>>> puts = DataClient.pipelined(KEYS, 32,
        i -> client.put(cluster.dataUri(i % MEMBERS), "p-" + i, ("v-" + i).getBytes(StandardCharsets.UTF_8)));
    puts.forEach(p -> assertThat(p.join().statusCode()).isEqualTo(200));
    JsonNode before = cluster.routing(0);

    for (int i = 0; i < MEMBERS; i++) {
      assertThat(first.get(i).stop()).as("exit code after SIGTERM").isZero();
      cluster.forget(i);
    }

    cluster.startMembers("second");
    cluster.awaitReady(MEMBERS);
    JsonNode after = cluster.routing(1);
    // placement and holds unchanged; the leader hints may differ after the restart's elections
    assertThat(stripLeaders(after.get("shards"))).isEqualTo(stripLeaders(before.get("shards")));
    assertThat(after.get("nodes")).isEqualTo(before.get("nodes"));
    assertThat(after.get("epoch").asLong()).isGreaterThanOrEqualTo(before.get("epoch").asLong());
    for (int node = 0; node < MEMBERS; node++) {
      int through = node;
      List<CompletableFuture<HttpResponse<byte[]>>> gets = DataClient.pipelined(KEYS, 32,
          i -> client.get(cluster.dataUri(through), "p-" + i));
      for (int i = 0; i < KEYS; i++) {
        HttpResponse<byte[]> get = gets.get(i).join();
        assertThat(get.statusCode()).as("p-%d through node %d", i, through).isEqualTo(200);
        assertThat(new String(get.body(), StandardCharsets.UTF_8)).isEqualTo("v-" + i);
      }
    }

    cluster.start(MEMBERS, "joiner");
    await("joiner ready").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250)).until(() -> cluster.ready(MEMBERS));
    // node 0 applies the registration when it learns the commit (its next heartbeat at the latest)
    await("node 0 sees the joiner").atMost(Duration.ofSeconds(30))
        .until(() -> cluster.routing(0).get("nodes").has(cluster.nodeId(MEMBERS)));
    JsonNode joined = cluster.routing(0);
    assertThat(joined.get("nodes").get(cluster.nodeId(MEMBERS)).get("host").asText()).isEqualTo(cluster.host(MEMBERS));
    for (JsonNode shard : joined.get("shards")) {
      assertThat(shard.get("voters").toString()).doesNotContain(cluster.nodeId(MEMBERS)); // a joiner hosts nothing
    }
    // the joiner follows the routing table too, and serves data by forwarding
    assertThat(cluster.routing(MEMBERS).get("nodes").size()).isEqualTo(MEMBERS + 1);
    HttpResponse<byte[]> viaJoiner = client.get(cluster.dataUri(MEMBERS), "p-7").join();
    assertThat(new String(viaJoiner.body(), StandardCharsets.UTF_8)).isEqualTo("v-7");

    // the joiner is the metadata group's second listener, and adding it kept the first (Ratis's ADD mode did not)
    AdminClient admin = new AdminClient(cluster.http(), "Bearer " + ProcessCluster.TOKEN);
    List<String> listeners = List.of(cluster.nodeId(MEMBERS - 1), cluster.nodeId(MEMBERS));
    for (int node : new int[] {0, MEMBERS - 1}) {
      JsonNode members = await("node " + node + "'s view of the metadata group").atMost(Duration.ofSeconds(30))
          .until(() -> admin.get(cluster.adminUri(node), "/admin/v1/metadata").body(),
              m -> texts(m.path("listeners")).size() == listeners.size());
      assertThat(texts(members.get("listeners"))).as("node %d: %s", node, members).isEqualTo(listeners);
      assertThat(texts(members.get("voters"))).hasSize(3);
    }
  }

  private static JsonNode stripLeaders(JsonNode shards) {
    JsonNode copy = shards.deepCopy();
    copy.forEach(s -> ((com.fasterxml.jackson.databind.node.ObjectNode) s).remove("leader"));
    return copy;
  }
}
