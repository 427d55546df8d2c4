package dev.vshard.node.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vshard.node.DataClient;
import dev.vshard.node.LoopbackCluster;
import dev.vshard.node.admin.AdminClient;
import dev.vshard.node.admin.AdminClient.Reply;
import dev.vshard.node.admin.VShardView;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A vShard moved to another node and back, both cut-overs run by the same leader: the node that left the group
 * joins it again as a learner, then as a voter. Ratis keeps its match index per follower as a metric that stays
 * bound to the follower that left, so reading it there left the second cut-over waiting for a target that
 * seemed never to catch up (Aborted when the budget ran out).
 */
class MigrateBackTest {
  private static final int KEYS = 300;
  private static final String PATH = "/admin/v1/vshards/0";

  private LoopbackCluster cluster;
  private AdminClient admin;

  @AfterEach
  void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void aVShardMovedAwayComesBackToItsFormerNode() throws Exception {
    cluster = LoopbackCluster.builder().nodes(4).replicationFactor(3).vshards(1).clusterId("back").start();
    admin = new AdminClient(cluster.http(), cluster.authorization());
    DataClient data = new DataClient(cluster.http());
    List<CompletableFuture<HttpResponse<byte[]>>> puts = DataClient.pipelined(KEYS, 32,
        i -> data.put(cluster.dataUri(i % 3), "b-" + i, ("v-" + i).getBytes()));
    puts.forEach(p -> assertThat(p.join().statusCode()).isEqualTo(200));
    String leader = admin.vshardView(cluster.adminUri(0), 0).get("leader").asText();
    String away = cluster.nodeIdOf(3);
    String home = IntStream.range(0, 3).mapToObj(cluster::nodeIdOf).filter(n -> !n.equals(leader)).findFirst()
        .orElseThrow();

    migrate("away", home, away, leader);
    assertThat(VShardView.texts(admin.vshardView(cluster.adminUri(0), 0).get("voters"))).contains(away).doesNotContain(home);

    migrate("back", away, home, leader);
    JsonNode view = admin.vshardView(cluster.adminUri(0), 0);
    assertThat(VShardView.texts(view.get("voters"))).contains(home).doesNotContain(away);
    int homeIndex = IntStream.range(0, 3).filter(i -> cluster.nodeIdOf(i).equals(home)).findFirst().orElseThrow();
    await("the former node holds every key again").atMost(Duration.ofSeconds(30))
        .until(() -> cluster.node(homeIndex).raftNode().kvStateMachine(0).map(m -> m.keyCount()).orElse(0L) == KEYS);
    for (int i = 0; i < KEYS; i += 37) {
      HttpResponse<byte[]> read = data.get(cluster.dataUri(homeIndex), "b-" + i).join();
      assertThat(read.statusCode()).isEqualTo(200);
      assertThat(new String(read.body())).isEqualTo("v-" + i);
    }
    // the former node's stub from the first move (to "away") went when it served the vShard again; the
    // node it left now forwards to it
    assertThat(ghostOwners(homeIndex)).doesNotContainKey(0);
    assertThat(ghostOwners(3)).containsEntry(0, home);
  }

  private java.util.Map<Integer, String> ghostOwners(int node) {
    Reply ghosts = admin.get(cluster.adminUri(node), "/admin/v1/ghosts");
    assertThat(ghosts.status()).as(ghosts.toString()).isEqualTo(200);
    java.util.Map<Integer, String> owners = new java.util.HashMap<>();
    ghosts.body().forEach(g -> owners.put(g.get("vshard").asInt(), g.get("newOwner").asText()));
    return owners;
  }

  private void migrate(String id, String source, String target, String leader) {
    Reply added = admin.addLearner(cluster.adminUri(0), PATH + "/learners/" + target,
        AdminClient.learnerBody(id, source));
    assertThat(added.status()).as(added.toString()).isEqualTo(200);
    await(target + " caught up").atMost(Duration.ofSeconds(60))
        .until(() -> VShardView.lagOf(admin.vshardView(cluster.adminUri(0), 0), target) <= 2);
    int leaderIndex = IntStream.range(0, 4).filter(i -> cluster.nodeIdOf(i).equals(leader)).findFirst().orElseThrow();
    Reply accepted = admin.post(cluster.adminUri(leaderIndex), PATH + "/cutover",
        AdminClient.cutoverBody(id, source, target, 5_000_000, false));
    assertThat(accepted.status()).as(accepted.toString()).isEqualTo(202);
    JsonNode cutover = await("cut-over " + id + " finished").atMost(Duration.ofSeconds(60))
        .until(() -> admin.vshardView(cluster.adminUri(0), 0).path("migration"),
            m -> m.path("migrationId").asText().equals(id) && m.path("cutover").isObject()
                && !"Running".equals(m.path("cutover").path("state").asText()))
        .path("cutover");
    assertThat(cutover.path("state").asText()).as(cutover.toString()).isEqualTo("Completed");
  }
}
