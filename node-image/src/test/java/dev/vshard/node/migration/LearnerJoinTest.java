package dev.vshard.node.migration;

import static dev.vshard.node.admin.VShardView.texts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vshard.node.DataClient;
import dev.vshard.node.LoopbackCluster;
import dev.vshard.node.admin.AdminClient;
import dev.vshard.node.admin.AdminClient.Reply;
import dev.vshard.node.routing.GroupIds;
import java.io.File;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A learner whose copy takes longer than the call waits: {@code PUT learners} answers {@code 202 Joining} while
 * Ratis stages the listener, a repeat answers the same, and the join ends {@code Added}; a rollback while it
 * joins removes the target's copy and leaves the group able to take the next migration. BaseCopy is slowed
 * with {@code VSHARD_INSTALL_THROTTLE} (the leader's snapshot, about 700 KB, at 128 KB/s). vShard 0 lives on
 * nodes 0..2; node 3 is the target.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LearnerJoinTest {
  private static final long THROTTLE = 128 * 1024;
  private static final int KEYS = 700;
  private static final String PATH = "/admin/v1/vshards/0";
  private static LoopbackCluster cluster;
  private static AdminClient admin;

  @BeforeAll
  static void start() throws Exception {
    cluster = LoopbackCluster.builder().nodes(4).replicationFactor(3).vshards(1)
        .writeBatchLimit(1).snapshotThreshold(100).installThrottle(THROTTLE).clusterId("join").start();
    admin = new AdminClient(cluster.http(), cluster.authorization());
    DataClient data = new DataClient(cluster.http());
    byte[] value = new byte[1024];
    List<CompletableFuture<HttpResponse<byte[]>>> puts = DataClient.pipelined(KEYS, 32,
        i -> data.put(cluster.dataUri(i % 3), "j-" + i, value));
    puts.forEach(p -> assertThat(p.join().statusCode()).isEqualTo(200));
    // a purged log: the target needs the (throttled) snapshot install
    await("leader purged its log").atMost(Duration.ofSeconds(60))
        .until(() -> view(0).path("logStartIndex").asLong() > 0);
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  @Order(1)
  void aRollbackWhileTheTargetJoinsRemovesItsCopy() {
    Reply joining = admin.put(cluster.adminUri(1), PATH + "/learners/" + target(), AdminClient.learnerBody("rb", source()));
    assertThat(joining.status()).as(joining.toString()).isEqualTo(202);
    assertThat(joining.body().path("state").asText()).isEqualTo("Joining");

    Reply rolledBack = admin.delete(cluster.adminUri(2), PATH + "/learners/" + target() + "?migrationId=rb");
    assertThat(rolledBack.status()).as(rolledBack.toString()).isEqualTo(200);
    assertThat(rolledBack.body().path("state").asText()).isEqualTo("RolledBack");
    JsonNode after = view(1);
    assertThat(texts(after.get("listeners"))).isEmpty();
    assertThat(texts(after.get("voters"))).containsExactlyInAnyOrder(node(0), node(1), node(2));
    assertThat(after.path("migration").path("active").asBoolean()).isFalse();
    assertThat(admin.get(cluster.adminUri(3), PATH + "/replica").code()).isEqualTo("NotHosted");
    assertThat(groupDir()).as("the target's copy is deleted").doesNotExist();
  }

  @Test
  @Order(2)
  void aSlowCopyAnswersJoiningUntilTheListenerIsAdded() {
    // The caller repeats the call, as the operator does. Right after the rollback above the leader may still
    // stage the rolled-back listener (Ratis ends that staging once it sees no progress); until then a new join
    // answers 503 PreviousJoinEnding and the next call starts it.
    List<Reply> answers = new ArrayList<>();
    Reply added = await("the learner added").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
        .until(() -> {
          // read before the call: the join may end (and be recorded) any moment after a 202 answer
          JsonNode migration = view(0).path("migration");
          boolean recorded = "slow".equals(migration.path("migrationId").asText())
              && !migration.path("learner").isNull() && !migration.path("learner").isMissingNode();
          Reply r = admin.put(cluster.adminUri(answers.size() % 3), PATH + "/learners/" + target(),
              AdminClient.learnerBody("slow", source()));
          answers.add(r);
          if (recorded) {
            assertThat(r.status()).as("a join already recorded answers Added, never Joining: " + r).isEqualTo(200);
          }
          return r;
        }, r -> r.status() == 200);
    System.out.printf("LearnerJoinTest: %d calls until Added: %d answered 202 Joining, %d 503 PreviousJoinEnding%n",
        answers.size(), answers.stream().filter(r -> r.status() == 202).count(),
        answers.stream().filter(r -> r.status() == 503).count());
    assertThat(answers).as("only Joining, Added or PreviousJoinEnding to repeat: %s", answers)
        .allMatch(r -> r.status() == 202 || r.status() == 200
            || r.status() == 503 && "PreviousJoinEnding".equals(r.code()));
    List<Reply> joining = answers.stream().filter(r -> r.status() == 202).toList();
    assertThat(joining).as("the throttled copy outlasts the call's wait: %s", answers).isNotEmpty();
    assertThat(joining).allMatch(r -> "Joining".equals(r.body().path("state").asText())
        && r.body().path("logStartIndexAtJoin").asLong() > 0);
    assertThat(joining).as("a repeat while the join runs answers Joining, with the same join's indexes")
        .hasSizeGreaterThan(1);
    JsonNode lastJoin = joining.get(joining.size() - 1).body();
    assertThat(joining.get(joining.size() - 2).body()).isEqualTo(lastJoin);

    assertThat(added.body().path("state").asText()).isEqualTo("Added");
    assertThat(added.body().path("logStartIndexAtJoin")).isEqualTo(lastJoin.path("logStartIndexAtJoin"));
    JsonNode view = view(1);
    assertThat(texts(view.get("listeners"))).containsExactly(target());
    assertThat(view.path("migration").path("learner").path("state").asText()).isEqualTo("Added");
    JsonNode replica = admin.get(cluster.adminUri(3), PATH + "/replica").body();
    assertThat(replica.path("snapshotInstalled").asBoolean()).as(replica.toString()).isTrue();
    assertThat(replica.path("bytesReceived").asLong()).isGreaterThan(KEYS * 1024L / 2);
    assertThat(admin.put(cluster.adminUri(2), PATH + "/learners/" + target(), AdminClient.learnerBody("slow", source())))
        .as("a repeat after the join returns the recorded result").isEqualTo(added);
    assertThat(admin.put(cluster.adminUri(1), PATH + "/learners/" + target(), AdminClient.learnerBody("other", source())).code())
        .isEqualTo("VShardBusy");
  }

  private static JsonNode view(int via) {
    Reply reply = admin.get(cluster.adminUri(via), PATH);
    assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
    return reply.body();
  }

  private static String node(int i) {
    return cluster.nodeIdOf(i);
  }

  private static String target() {
    return node(3);
  }

  private static String source() {
    return node(0);
  }

  private static File groupDir() {
    return cluster.root().resolve(target()).resolve("raft").resolve(new GroupIds("join").vshard(0).getUuid().toString())
        .toFile();
  }

}
