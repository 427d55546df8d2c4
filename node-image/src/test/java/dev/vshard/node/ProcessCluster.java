package dev.vshard.node;

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

/**
 * Nodes as real JVM processes ({@link NodeProcess}) on one random loopback prefix: the initial members
 * {@code 0..members-1}, and joiners from {@code members} on. Every node has its own address, so all share
 * the same three ports. Closing kills whatever still runs.
 */
final class ProcessCluster implements AutoCloseable {
  static final String TOKEN = "process-token";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path root;
  private final String clusterId;
  private final int members;
  private final int vshards;
  private final int[] ports = LoopbackCluster.freePorts(3);
  private final String prefix = "127." + ThreadLocalRandom.current().nextInt(1, 255) + "." + ThreadLocalRandom.current().nextInt(1, 255) + ".";
  private final Map<Integer, NodeProcess> running = new HashMap<>();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

  ProcessCluster(Path root, String clusterId, int members, int vshards) throws Exception {
    this.root = root;
    this.clusterId = clusterId;
    this.members = members;
    this.vshards = vshards;
    Files.writeString(root.resolve("token"), TOKEN);
  }

  /** Starts every initial member; {@code round} names their log files. */
  List<NodeProcess> startMembers(String round) throws Exception {
    List<NodeProcess> started = new ArrayList<>();
    for (int i = 0; i < members; i++) {
      started.add(start(i, round));
    }
    return started;
  }

  /**
   * Starts every initial member, waits until all are ready, and writes {@code keys} keys {@code prefix-i}
   * (value {@code v-i}) through them in turn.
   */
  void startMembersWithKeys(String prefix, int keys) throws Exception {
    startMembers("first");
    awaitReady(members);
    DataClient data = new DataClient(http);
    List<CompletableFuture<HttpResponse<byte[]>>> puts = DataClient.pipelined(keys, 32,
        i -> data.put(dataUri(i % members), prefix + "-" + i, ("v-" + i).getBytes(StandardCharsets.UTF_8)));
    for (CompletableFuture<HttpResponse<byte[]>> put : puts) {
      int status = put.join().statusCode();
      if (status != 200) {
        throw new IllegalStateException("a write of the initial keys answered " + status);
      }
    }
  }

  /** Starts node {@code i} on its data dir (a member, or a joiner when {@code i >= members}). */
  NodeProcess start(int i, String round) throws Exception {
    NodeProcess p = NodeProcess.start(env(i), root.resolve("node-" + i + "-" + round + ".log"));
    running.put(i, p);
    return p;
  }

  NodeProcess process(int i) {
    return running.get(i);
  }

  void forget(int i) {
    running.remove(i);
  }

  void awaitReady(int count) {
    await("nodes 0.." + (count - 1) + " ready").atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(250))
        .until(() -> IntStream.range(0, count).mapToObj(this::readiness).toList(),
            answers -> answers.stream().allMatch(answer -> answer.startsWith("200")));
  }

  /** The status and body of node {@code i}'s {@code /readyz} (the reason when it is not ready), or the failure. */
  String readiness(int i) {
    try {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(dataUri(i).resolve("/readyz"))
          .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
      return r.statusCode() + " " + r.body();
    } catch (Exception e) {
      return e.toString();
    }
  }

  boolean ready(int i) {
    return readiness(i).startsWith("200");
  }

  JsonNode routing(int i) throws Exception {
    return JSON.readTree(http.send(HttpRequest.newBuilder(dataUri(i).resolve("/v1/routing")).build(),
        HttpResponse.BodyHandlers.ofString()).body());
  }

  HttpClient http() {
    return http;
  }

  String nodeId(int i) {
    return clusterId + "-node-" + i;
  }

  int indexOf(String nodeId) {
    return Integer.parseInt(nodeId.substring(nodeId.lastIndexOf('-') + 1));
  }

  String host(int i) {
    return prefix + (20 + i);
  }

  URI dataUri(int i) {
    return URI.create("http://" + host(i) + ":" + ports[0]);
  }

  URI adminUri(int i) {
    return URI.create("http://" + host(i) + ":" + ports[1]);
  }

  /** The body node {@code i} sends to {@code POST /admin/v1/nodes} to register itself. */
  String registrationBody(int i) {
    return JSON.createObjectNode().put("node", nodeId(i)).put("host", host(i)).put("httpPort", ports[0])
        .put("adminPort", ports[1]).put("raftPort", ports[2]).toString();
  }

  private Map<String, String> env(int i) {
    Map<String, String> env = new HashMap<>();
    env.put("VSHARD_NODE_ID", nodeId(i));
    env.put("VSHARD_CLUSTER_ID", clusterId);
    env.put("VSHARD_ADVERTISE_HOST", host(i));
    env.put("VSHARD_BIND_HOST", host(i));
    env.put("VSHARD_HTTP_PORT", String.valueOf(ports[0]));
    env.put("VSHARD_ADMIN_PORT", String.valueOf(ports[1]));
    env.put("VSHARD_RAFT_PORT", String.valueOf(ports[2]));
    env.put("VSHARD_DATA_DIR", root.resolve(nodeId(i)).toString());
    env.put("VSHARD_INITIAL_MEMBERS", IntStream.range(0, members).mapToObj(m -> nodeId(m) + "@" + host(m)).collect(Collectors.joining(",")));
    env.put("VSHARD_VSHARDS", String.valueOf(vshards));
    env.put("VSHARD_REPLICATION_FACTOR", "3");
    env.put("VSHARD_ADMIN_TOKEN_FILE", root.resolve("token").toString());
    return env;
  }

  @Override
  public void close() throws Exception {
    for (NodeProcess p : running.values()) {
      p.kill();
    }
    running.clear();
  }
}
