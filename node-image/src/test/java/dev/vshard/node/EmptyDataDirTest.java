package dev.vshard.node;

import static dev.vshard.node.admin.VShardView.lagOf;
import static dev.vshard.node.admin.VShardView.texts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vshard.node.admin.AdminClient;
import dev.vshard.node.admin.AdminClient.Reply;
import dev.vshard.node.routing.KeyPlacement;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A node restarted on an empty data dir (its volume lost or replaced), as real processes. It must not take
 * part in a Raft group with an empty log it did not have before: a voter that forgot its log and its vote can
 * elect a stale leader and lose committed entries. So it comes back hosting nothing, follows the routing
 * table again where that is safe (as a listener of the metadata group), says which replicas it lost, and a
 * migration with it as the source replaces each; a voter of the metadata group is replaced in that group (removed, then added again empty).
 */
class EmptyDataDirTest {
  private static final int MEMBERS = 4;
  private static final int V = 4;
  private static final int KEYS = 200;

  /** Kept when a test fails: the nodes' logs are in it. */
  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  Path root;

  private ProcessCluster cluster;
  private AdminClient admin;
  private DataClient data;

  @AfterEach
  void stopAll() throws Exception {
    cluster.close();
  }

  @Test
  void aNodeComesBackEmptyReportsItsLostReplicasAndAMigrationReplacesOne() throws Exception {
    start("wipe");
    int wiped = 3; // outside the metadata group's voters (the first three members)
    String node = cluster.nodeId(wiped);
    List<Integer> lost = vshardsOf(node);
    restartOnAnEmptyDataDir(wiped);
    cluster.awaitReady(MEMBERS);

    assertThat(missingReplicas(wiped)).as("the vShards whose routing still names %s", node).isEqualTo(lost.size());
    for (int v : lost) {
      assertThat(admin.get(cluster.adminUri(wiped), "/admin/v1/vshards/" + v + "/replica").code()).isEqualTo("NotHosted");
    }
    assertReadableExcept(-1); // through every node, the wiped one forwarding

    int v = lost.get(0);
    JsonNode before = view(v);
    String target = IntStream.range(0, MEMBERS).mapToObj(cluster::nodeId)
        .filter(n -> !texts(before.get("voters")).contains(n)).findFirst().orElseThrow();
    Reply added = admin.addLearner(cluster.adminUri(0), "/admin/v1/vshards/" + v + "/learners/" + target,
        AdminClient.learnerBody("replace", node));
    assertThat(added.status()).as(added.toString()).isEqualTo(200);
    await("the replacement caught up").atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> lagOf(view(v), target) <= 2);
    Reply accepted = await("the cut-over accepted").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
        .until(() -> admin.post(cluster.adminUri(0), "/admin/v1/vshards/" + v + "/cutover",
            AdminClient.cutoverBody("replace", node, target, 5_000_000, false)), r -> r.status() != 503);
    assertThat(accepted.status()).as(accepted.toString()).isEqualTo(202);
    JsonNode done = await("the cut-over finished").atMost(Duration.ofSeconds(60)).ignoreExceptions()
        .until(() -> view(v).path("migration").path("cutover"), c -> !"Running".equals(c.path("state").asText()));
    assertThat(done.path("state").asText()).as(done.toString()).isEqualTo("Completed");

    JsonNode after = view(v);
    assertThat(texts(after.get("voters"))).contains(target).doesNotContain(node).hasSize(3);
    await("the lost replica no longer counted").atMost(Duration.ofSeconds(30))
        .until(() -> missingReplicas(wiped), missing -> missing == lost.size() - 1);
    assertReadableExcept(-1);
    System.out.printf("EmptyDataDirTest: %s came back empty, %d replicas lost; vShard %d re-replicated on %s%n", node,
        lost.size(), v, target);
  }

  /**
   * Node 0 is also the bootstrap initiator: on an empty data dir it must find the cluster, not form another.
   * Replaced, the voter must hold the log: with another voter stopped, the group commits on it.
   */
  @ParameterizedTest
  @ValueSource(ints = {0, 1})
  void aMetadataVoterOnAnEmptyDataDirIsReplacedAndVotesAgain(int wiped) throws Exception {
    start("wipevoter");
    long epoch = cluster.routing(2).get("epoch").asLong();
    List<String> voters = IntStream.range(0, 3).mapToObj(cluster::nodeId).toList();
    restartOnAnEmptyDataDir(wiped);
    cluster.awaitReady(MEMBERS);

    JsonNode members = await("the wiped voter back among the metadata group's voters").atMost(Duration.ofSeconds(60))
        .until(() -> admin.get(cluster.adminUri(wiped), "/admin/v1/metadata").body(),
            m -> m.has("voters") && texts(m.get("voters")).containsAll(voters));
    assertThat(texts(members.get("voters"))).containsExactlyInAnyOrderElementsOf(voters);
    assertThat(texts(members.get("listeners"))).as("the listener kept: %s", members).containsExactly(cluster.nodeId(3));
    assertThat(cluster.routing(wiped).get("epoch").asLong()).as("the replica's routing table").isEqualTo(epoch);
    assertReadableExcept(-1);

    int stopped = wiped == 0 ? 1 : 0;
    assertThat(cluster.process(stopped).stop()).isZero();
    cluster.forget(stopped);
    // a commit now needs the replaced voter: re-registering node 3 writes to the node directory
    Reply registered = await("a metadata commit with " + cluster.nodeId(stopped) + " down").atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(500)).ignoreExceptions()
        .until(() -> admin.post(cluster.adminUri(wiped), "/admin/v1/nodes", cluster.registrationBody(3)), r -> r.status() == 200);
    assertThat(registered.body().path("registered").asBoolean()).as(registered.toString()).isTrue();
    System.out.printf("EmptyDataDirTest: the wiped metadata voter %s was replaced; with %s down the group commits on it%n",
        cluster.nodeId(wiped), cluster.nodeId(stopped));
  }

  private void start(String id) throws Exception {
    cluster = new ProcessCluster(root, id, MEMBERS, V);
    cluster.startMembersWithKeys("w", KEYS);
    admin = new AdminClient(cluster.http(), "Bearer " + ProcessCluster.TOKEN);
    data = new DataClient(cluster.http());
  }

  private void restartOnAnEmptyDataDir(int i) throws Exception {
    assertThat(cluster.process(i).stop()).isZero();
    Path dir = root.resolve(cluster.nodeId(i));
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
    Files.createDirectories(dir);
    cluster.start(i, "empty");
  }

  private List<Integer> vshardsOf(String node) throws Exception {
    List<Integer> out = new ArrayList<>();
    for (JsonNode shard : cluster.routing(0).get("shards")) {
      if (texts(shard.get("voters")).contains(node)) {
        out.add(shard.get("vshard").asInt());
      }
    }
    assertThat(out).as("vShards of " + node).isNotEmpty();
    return out;
  }

  private long missingReplicas(int i) throws IOException, InterruptedException {
    String metrics = cluster.http().send(HttpRequest.newBuilder(cluster.dataUri(i).resolve("/metrics")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    return metrics.lines().filter(l -> l.startsWith("vshard_replicas_missing "))
        .mapToLong(l -> (long) Double.parseDouble(l.substring(l.indexOf(' ') + 1))).findFirst().orElse(-1);
  }

  /** Every key reads back its value through every node but {@code except}; a 5xx is read again (an election). */
  private void assertReadableExcept(int except) throws Exception {
    for (int node = 0; node < MEMBERS; node++) {
      if (node == except) {
        continue;
      }
      int through = node;
      List<CompletableFuture<HttpResponse<byte[]>>> gets = DataClient.pipelined(KEYS, 32,
          i -> data.get(cluster.dataUri(through), "w-" + i));
      for (int i = 0; i < KEYS; i++) {
        HttpResponse<byte[]> get = gets.get(i).join();
        if (get.statusCode() >= 500) {
          // a group whose leader was the restarted node elects another: 503 until it has (a few seconds)
          String key = "w-" + i;
          AtomicReference<HttpResponse<byte[]>> answer = new AtomicReference<>();
          await("re-read " + key + " through node " + through).atMost(Duration.ofSeconds(30))
              .pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
                answer.set(data.get(cluster.dataUri(through), key).join());
                assertThat(answer.get().statusCode()).as("%s: %s", key, new String(answer.get().body(), StandardCharsets.UTF_8))
                    .isLessThan(500);
              });
          get = answer.get();
        }
        assertThat(get.statusCode()).as("w-%d (vShard %d) through node %d", i, KeyPlacement.vshardOf("w-" + i, V), through)
            .isEqualTo(200);
        assertThat(new String(get.body(), StandardCharsets.UTF_8)).isEqualTo("v-" + i);
      }
    }
  }

  private JsonNode view(int v) {
    return admin.vshardView(cluster.adminUri(0), v);
  }
}
