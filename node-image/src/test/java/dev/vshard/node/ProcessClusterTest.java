package dev.vshard.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Nodes as real JVM processes: a full stop and restart keeps data and routing; a node started later joins. */
class ProcessClusterTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MEMBERS = 4;
  private static final int KEYS = 300;

  @TempDir
  Path root;

  private final List<NodeProcess> running = new ArrayList<>();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
  private final String prefix = "127." + ThreadLocalRandom.current().nextInt(1, 255) + "." + ThreadLocalRandom.current().nextInt(1, 255) + ".";
  private int[] ports;

  @AfterEach
  void stopAll() throws Exception {
    for (NodeProcess p : running) {
      p.kill();
    }
  }

  @Test
  void fullRestartKeepsDataAndRoutingAndALaterNodeJoins() throws Exception {
    ports = LoopbackCluster.freePorts(3);
    Files.writeString(root.resolve("token"), "process-token");
    List<NodeProcess> first = startMembers("first");
    awaitReady(MEMBERS);
    DataClient client = new DataClient(http);
    List<CompletableFuture<HttpResponse<byte[]>>> puts = DataClient.pipelined(KEYS, 32,
        i -> client.put(dataUri(i % MEMBERS), "p-" + i, ("v-" + i).getBytes(StandardCharsets.UTF_8)));
    puts.forEach(p -> assertThat(p.join().statusCode()).isEqualTo(200));
    JsonNode before = routing(0);

    for (NodeProcess p : first) {
      assertThat(p.stop()).as("exit code after SIGTERM").isZero();
    }
    running.clear();

    startMembers("second");
    awaitReady(MEMBERS);
    JsonNode after = routing(1);
    // placement and holds unchanged; the leader hints may differ after the restart's elections
    assertThat(stripLeaders(after.get("shards"))).isEqualTo(stripLeaders(before.get("shards")));
    assertThat(after.get("nodes")).isEqualTo(before.get("nodes"));
    assertThat(after.get("epoch").asLong()).isGreaterThanOrEqualTo(before.get("epoch").asLong());
    for (int node = 0; node < MEMBERS; node++) {
      int through = node;
      List<CompletableFuture<HttpResponse<byte[]>>> gets = DataClient.pipelined(KEYS, 32, i -> client.get(dataUri(through), "p-" + i));
      for (int i = 0; i < KEYS; i++) {
        HttpResponse<byte[]> get = gets.get(i).join();
        assertThat(get.statusCode()).as("p-%d through node %d", i, through).isEqualTo(200);
        assertThat(new String(get.body(), StandardCharsets.UTF_8)).isEqualTo("v-" + i);
      }
    }

    NodeProcess joiner = NodeProcess.start(env(MEMBERS), root.resolve("node-4-joiner.log"));
    running.add(joiner);
    await("joiner ready").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250)).until(() -> ready(MEMBERS));
    // node 0 applies the registration when it learns the commit (its next heartbeat at the latest)
    await("node 0 sees the joiner").atMost(Duration.ofSeconds(30)).until(() -> routing(0).get("nodes").has(nodeId(MEMBERS)));
    JsonNode joined = routing(0);
    assertThat(joined.get("nodes").get(nodeId(MEMBERS)).get("host").asText()).isEqualTo(host(MEMBERS));
    for (JsonNode shard : joined.get("shards")) {
      assertThat(shard.get("voters").toString()).doesNotContain(nodeId(MEMBERS)); // a joiner hosts nothing
    }
    // the joiner follows the routing table too, and serves data by forwarding
    assertThat(routing(MEMBERS).get("nodes").size()).isEqualTo(MEMBERS + 1);
    HttpResponse<byte[]> viaJoiner = client.get(dataUri(MEMBERS), "p-7").join();
    assertThat(new String(viaJoiner.body(), StandardCharsets.UTF_8)).isEqualTo("v-7");
  }

  private static JsonNode stripLeaders(JsonNode shards) {
    JsonNode copy = shards.deepCopy();
    copy.forEach(s -> ((com.fasterxml.jackson.databind.node.ObjectNode) s).remove("leader"));
    return copy;
  }

  private List<NodeProcess> startMembers(String round) throws Exception {
    List<NodeProcess> started = new ArrayList<>();
    for (int i = 0; i < MEMBERS; i++) {
      NodeProcess p = NodeProcess.start(env(i), root.resolve("node-" + i + "-" + round + ".log"));
      started.add(p);
      running.add(p);
    }
    return started;
  }

  private Map<String, String> env(int i) {
    Map<String, String> env = new HashMap<>();
    env.put("VSHARD_NODE_ID", nodeId(i));
    env.put("VSHARD_CLUSTER_ID", "proc");
    env.put("VSHARD_ADVERTISE_HOST", host(i));
    env.put("VSHARD_BIND_HOST", host(i));
    env.put("VSHARD_HTTP_PORT", String.valueOf(ports[0]));
    env.put("VSHARD_ADMIN_PORT", String.valueOf(ports[1]));
    env.put("VSHARD_RAFT_PORT", String.valueOf(ports[2]));
    env.put("VSHARD_DATA_DIR", root.resolve(nodeId(i)).toString());
    env.put("VSHARD_INITIAL_MEMBERS", IntStream.range(0, MEMBERS).mapToObj(m -> nodeId(m) + "@" + host(m)).collect(Collectors.joining(",")));
    env.put("VSHARD_VSHARDS", "4");
    env.put("VSHARD_REPLICATION_FACTOR", "3");
    env.put("VSHARD_ADMIN_TOKEN_FILE", root.resolve("token").toString());
    return env;
  }

  private void awaitReady(int members) {
    await("all members ready").atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(250))
        .until(() -> IntStream.range(0, members).allMatch(this::ready));
  }

  private boolean ready(int i) {
    try {
      return http.send(HttpRequest.newBuilder(dataUri(i).resolve("/readyz")).timeout(Duration.ofSeconds(2)).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (Exception e) {
      return false;
    }
  }

  private JsonNode routing(int i) throws Exception {
    return JSON.readTree(http.send(HttpRequest.newBuilder(dataUri(i).resolve("/v1/routing")).build(),
        HttpResponse.BodyHandlers.ofString()).body());
  }

  private String nodeId(int i) {
    return "proc-node-" + i;
  }

  private String host(int i) {
    return prefix + (20 + i);
  }

  private URI dataUri(int i) {
    return URI.create("http://" + host(i) + ":" + ports[0]);
  }
}
