package dev.vshard.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vshard.node.routing.KeyPlacement;
import dev.vshard.node.routing.MetadataCommand;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** A 4-node loopback cluster, RF 3, V 8: bulk writes through every node, reads back through every node. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KvClusterTest {
  private static final int KEYS = 10_000;
  private static final int WINDOW = 64;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static LoopbackCluster cluster;
  private static DataClient client;

  @BeforeAll
  static void startCluster() {
    cluster = LoopbackCluster.start(4, 3, 8);
    client = new DataClient(cluster.http());
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  @Order(1)
  void routingTableHasThePlacement() throws Exception {
    HttpResponse<String> response = cluster.http().send(
        HttpRequest.newBuilder(cluster.dataUri(3).resolve("/v1/routing")).GET().build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode table = JSON.readTree(response.body());
    assertThat(table.get("vshards").asInt()).isEqualTo(8);
    assertThat(table.get("replicationFactor").asInt()).isEqualTo(3);
    assertThat(table.get("nodes").size()).isEqualTo(4);
    assertThat(table.get("nodes").get(cluster.nodeIdOf(2)).get("host").asText()).isEqualTo(cluster.hostOf(2));
    for (JsonNode shard : table.get("shards")) {
      int v = shard.get("vshard").asInt();
      Set<String> voters = new HashSet<>();
      shard.get("voters").forEach(n -> voters.add(n.asText()));
      // round-robin placement: vShard v on members v, v+1, v+2 (mod 4)
      assertThat(voters).containsExactlyInAnyOrder(cluster.nodeIdOf(v % 4), cluster.nodeIdOf((v + 1) % 4), cluster.nodeIdOf((v + 2) % 4));
      assertThat(shard.get("migrationId").isNull()).isTrue();
    }
  }

  @Test
  @Order(2)
  void tenThousandKeysWrittenThroughAnyNodeAreReadableThroughEveryNode() throws Exception {
    long start = System.nanoTime();
    List<CompletableFuture<HttpResponse<byte[]>>> puts = DataClient.pipelined(KEYS, WINDOW,
        i -> client.put(cluster.dataUri(i % 4), "key-" + i, value(i)));
    CompletableFuture.allOf(puts.toArray(CompletableFuture[]::new)).join();
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf("KvClusterTest: %d puts (%d-byte values, %d outstanding, through all 4 nodes) in %.2f s = %.0f puts/s"
            + " [mvn -B -q -pl node-image test -Dtest=KvClusterTest]%n",
        KEYS, value(0).length, WINDOW, seconds, KEYS / seconds);
    for (int node = 0; node < 4; node++) {
      String metrics = cluster.http().send(HttpRequest.newBuilder(cluster.dataUri(node).resolve("/metrics")).build(),
          HttpResponse.BodyHandlers.ofString()).body();
      int n = node;
      metrics.lines().filter(l -> l.startsWith("vshard_kv_reroutes")).forEach(l -> System.out.println("node " + n + ": " + l));
    }
    for (int i = 0; i < KEYS; i++) {
      HttpResponse<byte[]> response = puts.get(i).join();
      assertThat(response.statusCode()).as("PUT key-%d: %s", i, new String(response.body(), StandardCharsets.UTF_8)).isEqualTo(200);
      JsonNode body = JSON.readTree(response.body());
      assertThat(body.get("vshard").asInt()).isEqualTo(KeyPlacement.vshardOf("key-" + i, 8));
      assertThat(body.get("index").asLong()).isPositive();
    }
    for (int node = 0; node < 4; node++) {
      int through = node;
      List<CompletableFuture<HttpResponse<byte[]>>> gets = DataClient.pipelined(KEYS, WINDOW,
          i -> client.get(cluster.dataUri(through), "key-" + i));
      for (int i = 0; i < KEYS; i++) {
        HttpResponse<byte[]> response = gets.get(i).join();
        assertThat(response.statusCode()).as("GET key-%d through node %d", i, through).isEqualTo(200);
        assertThat(response.body()).isEqualTo(value(i));
        assertThat(response.headers().firstValue("X-VShard").orElseThrow()).isEqualTo(String.valueOf(KeyPlacement.vshardOf("key-" + i, 8)));
        assertThat(response.headers().firstValue("X-VShard-Epoch")).isPresent();
      }
    }
  }

  @Test
  @Order(3)
  void deleteRemovesAKeyEverywhere() throws Exception {
    HttpResponse<byte[]> deleted = client.delete(cluster.dataUri(1), "key-7").join();
    assertThat(deleted.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(deleted.body()).get("deleted").asBoolean()).isTrue();
    for (int node = 0; node < 4; node++) {
      HttpResponse<byte[]> get = client.get(cluster.dataUri(node), "key-7").join();
      assertThat(get.statusCode()).isEqualTo(404);
      assertThat(JSON.readTree(get.body()).get("code").asText()).isEqualTo("NotFound");
    }
    HttpResponse<byte[]> again = client.delete(cluster.dataUri(2), "key-7").join();
    assertThat(JSON.readTree(again.body()).get("deleted").asBoolean()).isFalse();
  }

  @Test
  @Order(4)
  void errorsAreJsonWithCodeMessageAndField() throws Exception {
    HttpResponse<String> badHops = cluster.http().send(HttpRequest.newBuilder(cluster.dataUri(0).resolve("/v1/kv/x"))
        .header("X-VShard-Hops", "many").GET().build(), HttpResponse.BodyHandlers.ofString());
    assertJsonError(badHops, 400, "InvalidRequest", "X-VShard-Hops");

    HttpResponse<String> longKey = cluster.http().send(HttpRequest.newBuilder(cluster.dataUri(0).resolve("/v1/kv/" + "k".repeat(1500)))
        .PUT(HttpRequest.BodyPublishers.ofString("v")).build(), HttpResponse.BodyHandlers.ofString());
    assertJsonError(longKey, 400, "InvalidRequest", "key");

    HttpResponse<String> noToken = cluster.http().send(HttpRequest.newBuilder(cluster.adminUri(0).resolve("/admin/v1/nodes"))
        .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
    assertJsonError(noToken, 401, "Unauthorized", null);

    HttpResponse<String> wrongToken = cluster.http().send(HttpRequest.newBuilder(cluster.adminUri(0).resolve("/admin/v1/nodes"))
        .header("Authorization", "Bearer nope").POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
    assertJsonError(wrongToken, 401, "Unauthorized", null);

    HttpResponse<String> malformed = cluster.http().send(HttpRequest.newBuilder(cluster.adminUri(0).resolve("/admin/v1/nodes"))
        .header("Authorization", cluster.authorization()).POST(HttpRequest.BodyPublishers.ofString("{not json")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertJsonError(malformed, 400, "InvalidRequest", null);

    HttpResponse<String> badPort = cluster.http().send(HttpRequest.newBuilder(cluster.adminUri(0).resolve("/admin/v1/nodes"))
        .header("Authorization", cluster.authorization())
        .POST(HttpRequest.BodyPublishers.ofString("{\"node\":\"n-9\",\"host\":\"h\",\"httpPort\":0,\"adminPort\":1,\"raftPort\":2}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertJsonError(badPort, 400, "InvalidRequest", "httpPort");
    HttpResponse<String> routing = cluster.http().send(HttpRequest.newBuilder(cluster.dataUri(0).resolve("/v1/routing")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(JSON.readTree(routing.body()).get("nodes").has("n-9")).as("a refused registration changes nothing").isFalse();

    HttpResponse<String> unknownAdmin = cluster.http().send(HttpRequest.newBuilder(cluster.adminUri(0).resolve("/admin/v1/nothing"))
        .header("Authorization", cluster.authorization()).GET().build(), HttpResponse.BodyHandlers.ofString());
    assertJsonError(unknownAdmin, 404, "NotFound", null);

    HttpResponse<String> ready = cluster.http().send(HttpRequest.newBuilder(cluster.dataUri(2).resolve("/readyz")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(ready.statusCode()).isEqualTo(200);
    HttpResponse<String> metrics = cluster.http().send(HttpRequest.newBuilder(cluster.dataUri(0).resolve("/metrics")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(metrics.body()).contains("vshard_routing_epoch").contains("vshard_kv_requests");
  }

  /**
   * vShard 0 lives on nodes 0-2. Its routing hint can be empty (a leader elected before its copy of the table
   * held the plan never recorded one) or name a node that has left the group since it led; node 3 answered
   * admin calls for it with 503 NotLeader then, for as long as the leader stayed. (Submitted until node 3's
   * copy shows it: a leader change meanwhile would record the real leader again.)
   */
  @Test
  @Order(5)
  void anAdminCallAtANodeOutsideTheGroupReachesItsLeaderWhenTheHintIsEmptyOrNamesANonVoter() throws Exception {
    for (String hint : Arrays.asList(null, cluster.nodeIdOf(3))) {
      await("node 3's copy of the table with the hint " + hint).atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
          .until(() -> {
            cluster.node(0).metadata().submit(new MetadataCommand.SetLeaderHint(0, hint)).join();
            return Objects.equals(cluster.node(3).metadata().current().shard(0).orElseThrow().leader(), hint);
          });
      String leader = cluster.node(0).raftNode().localViewOfLeader(0).orElseThrow();

      HttpResponse<String> view = cluster.http().send(HttpRequest.newBuilder(cluster.adminUri(3).resolve("/admin/v1/vshards/0"))
          .header("Authorization", cluster.authorization()).GET().build(), HttpResponse.BodyHandlers.ofString());

      assertThat(view.statusCode()).as("hint %s: %s", hint, view.body()).isEqualTo(200);
      assertThat(JSON.readTree(view.body()).get("leader").asText()).as("hint %s", hint).isEqualTo(leader);
    }
  }

  private static void assertJsonError(HttpResponse<String> response, int status, String code, String field) throws Exception {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
    JsonNode body = JSON.readTree(response.body());
    assertThat(body.get("code").asText()).isEqualTo(code);
    assertThat(body.get("message").asText()).isNotBlank();
    if (field != null) {
      assertThat(body.get("field").asText()).isEqualTo(field);
    }
    assertThat(response.body()).doesNotContain("Exception").doesNotContain("\tat ");
  }

  private static byte[] value(int i) {
    return ("value-" + i + "-" + "x".repeat(100)).getBytes(StandardCharsets.UTF_8);
  }
}
