package dev.vshard.node;

import static dev.vshard.node.admin.VShardView.lagOf;
import static dev.vshard.node.admin.VShardView.texts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vshard.node.admin.AdminClient.Reply;
import dev.vshard.node.admin.AdminClient;
import dev.vshard.node.raft.MembershipChange;
import dev.vshard.node.routing.KeyPlacement;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The process that runs a cut-over (the vShard's leader) is killed with SIGKILL, and nothing is lost.
 * <ul>
 *   <li>Right after it accepted the cut-over: its job is holding writes and draining the target, before the
 *       membership change (every run so far settled as RolledBack). After it restarts,
 *       {@code DELETE /migration} settles the orphaned migration: the group is exactly as before (or, had
 *       the membership change committed, the target votes and the source left).</li>
 *   <li>After the membership change: the source is frozen (SIGSTOP) before the cut-over, so the job, past the
 *       membership change and the release of the writes, waits at its last step (the ghost stub on the source)
 *       and is killed there. From then on the only way is forward: after the restart the migration must settle
 *       as Completed.</li>
 * </ul>
 * Either way the hold is released, every key written before reads back through every node, and the
 * vShard takes writes again.
 */
class CutOverCrashTest {
  private static final int MEMBERS = 4;
  private static final int V = 4;
  private static final int KEYS = 400;
  private static final int VSHARD = 0;
  private static final String PATH = "/admin/v1/vshards/" + VSHARD;

  @TempDir
  Path root;

  private ProcessCluster cluster;
  private AdminClient admin;
  private DataClient data;

  @AfterEach
  void stopAll() throws Exception {
    cluster.close();
  }

  /** vShard 0 before the migration, and the roles in it. */
  private record Move(List<String> voters, String leader, String source, String target) {
  }

  @Test
  void aLeaderKilledDuringItsCutOverLosesNothingAndTheMigrationSettles() throws Exception {
    Move move = startWithALearner();
    Reply accepted = postCutOver(move);
    assertThat(accepted.status()).as(accepted.toString()).isEqualTo(202);
    cluster.process(cluster.indexOf(move.leader())).kill();

    String outcome = restartAndSettle(move);
    assertThat(outcome).isIn("RolledBack", "Completed");
    System.out.printf("CutOverCrashTest: after the leader's crash the migration %s%n", outcome);
    assertSettled(move, outcome);
  }

  @Test
  void aRunnerKilledAfterTheMembershipChangeIsFinishedForward() throws Exception {
    Move move = startWithALearner();
    NodeProcess source = cluster.process(cluster.indexOf(move.source()));
    source.freeze(); // its admin port stops answering: the job waits to install the ghost stub there
    try {
      // the frozen source may lead the metadata group: 503 MetadataUnavailable until another member leads it
      Reply accepted = await("the cut-over accepted").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
          .until(() -> postCutOver(move), r -> r.status() != 503);
      assertThat(accepted.status()).as(accepted.toString()).isEqualTo(202);
      int via = IntStream.range(0, MEMBERS).filter(i -> !cluster.nodeId(i).equals(move.leader())
          && !cluster.nodeId(i).equals(move.source())).findFirst().orElseThrow(); // answers by relaying to the leader
      JsonNode committed = await("the membership change committed").atMost(Duration.ofSeconds(60)).ignoreExceptions()
          .until(() -> view(via), v -> "Running".equals(v.path("migration").path("cutover").path("state").asText())
              && "InstallGhost".equals(v.path("migration").path("cutover").path("step").asText()));
      assertThat(texts(committed.get("voters"))).as("voters when the runner is killed")
          .contains(move.target()).doesNotContain(move.source());
      cluster.process(cluster.indexOf(move.leader())).kill();
      System.out.printf("CutOverCrashTest: runner %s killed waiting for the frozen source, voters %s%n", move.leader(),
          texts(committed.get("voters")));
    } finally {
      source.thaw();
    }

    String outcome = restartAndSettle(move);
    assertThat(outcome).as("a cut-over past its membership change only goes forward").isEqualTo("Completed");
    assertSettled(move, outcome);
  }

  private Move startWithALearner() throws Exception {
    cluster = new ProcessCluster(root, "crash", MEMBERS, V);
    cluster.startMembersWithKeys("c", KEYS);
    admin = new AdminClient(cluster.http(), "Bearer " + ProcessCluster.TOKEN);
    data = new DataClient(cluster.http());

    JsonNode before = view(0);
    List<String> voters = texts(before.get("voters"));
    String leader = before.get("leader").asText();
    String target = IntStream.range(0, MEMBERS).mapToObj(cluster::nodeId).filter(n -> !voters.contains(n)).findFirst().orElseThrow();
    String source = voters.stream().filter(n -> !n.equals(leader)).findFirst().orElseThrow();
    Move move = new Move(voters, leader, source, target);

    Reply added = admin.addLearner(cluster.adminUri(0), PATH + "/learners/" + target,
        AdminClient.learnerBody("crash", source));
    assertThat(added.status()).as(added.toString()).isEqualTo(200);
    await("target caught up").atMost(Duration.ofSeconds(120)).ignoreExceptions()
        .until(() -> lagOf(view(0), target) <= 2);
    return move;
  }

  private Reply postCutOver(Move move) {
    return admin.post(cluster.adminUri(cluster.indexOf(move.leader())), PATH + "/cutover",
        AdminClient.cutoverBody("crash", move.source(), move.target(), 5_000_000, false));
  }

  /** Restarts the killed leader and settles the orphaned migration; returns its final state. */
  private String restartAndSettle(Move move) throws Exception {
    cluster.start(cluster.indexOf(move.leader()), "restarted");
    cluster.awaitReady(MEMBERS);
    Reply settled = await("the orphaned migration settles").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
        .until(() -> admin.delete(cluster.adminUri(0), PATH + "/migration?migrationId=crash"), r -> r.status() == 200);
    return settled.body().path("state").asText();
  }

  private void assertSettled(Move move, String outcome) throws Exception {
    // right after the restart a view may be refused for a moment (503 while the group elects)
    JsonNode after = await("a view naming a leader").atMost(Duration.ofSeconds(60)).ignoreExceptions()
        .until(() -> view(0), view -> view.hasNonNull("leader"));
    assertThat(after.path("migration").path("migrationId").asText()).isEqualTo("crash");
    assertThat(after.path("migration").path("active").asBoolean()).as("hold released: " + after).isFalse();
    if (outcome.equals("Completed")) {
      assertThat(texts(after.get("voters"))).contains(move.target()).doesNotContain(move.source());
      // the source removes its old replica by itself once it holds the ghost stub
      int source = cluster.indexOf(move.source());
      await("the source's old replica removed").atMost(Duration.ofSeconds(30)).ignoreExceptions()
          .until(() -> admin.get(cluster.adminUri(source), PATH + "/replica").code(), "NotHosted"::equals);
    } else {
      assertThat(texts(after.get("voters"))).containsExactlyInAnyOrderElementsOf(move.voters());
      assertThat(texts(after.get("listeners"))).isEmpty();
    }

    for (int node = 0; node < MEMBERS; node++) {
      int through = node;
      List<CompletableFuture<HttpResponse<byte[]>>> gets = DataClient.pipelined(KEYS, 32, i -> data.get(cluster.dataUri(through), "c-" + i));
      for (int i = 0; i < KEYS; i++) {
        HttpResponse<byte[]> get = gets.get(i).join();
        assertThat(get.statusCode()).as("c-%d through node %d (%s)", i, through, outcome).isEqualTo(200);
        assertThat(new String(get.body(), StandardCharsets.UTF_8)).isEqualTo("v-" + i);
      }
    }
    String key = IntStream.range(0, KEYS).mapToObj(i -> "c-" + i).filter(k -> KeyPlacement.vshardOf(k, V) == VSHARD).findFirst().orElseThrow();
    assertThat(data.put(cluster.dataUri(1), key, "after".getBytes(StandardCharsets.UTF_8)).join().statusCode())
        .as("vShard %d takes writes after the crash (%s)", VSHARD, outcome).isEqualTo(200);
  }

  private JsonNode view(int via) {
    return admin.vshardView(cluster.adminUri(via), VSHARD);
  }
}
