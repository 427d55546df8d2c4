package dev.vshard.node.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vshard.node.LoopbackCluster;
import dev.vshard.node.Node;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import org.apache.ratis.protocol.RaftGroupId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A node's local routing table trails the metadata leader; an admin call that reads a hold another node just
 * committed must first catch up ({@link MetadataService#latest}), or it answers from the past (a release
 * through node B said "NoHold" for a learner added through node A a moment before, under CI load).
 * Here a follower's metadata replica is held inside one apply, so it really trails by a committed entry.
 */
class MetadataReadBarrierTest {
  private static final NodeAddress NOWHERE = new NodeAddress("127.0.0.99", 1, 2, 3);

  static LoopbackCluster cluster;

  @BeforeAll
  static void start() {
    cluster = LoopbackCluster.start(3, 3, 1);
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  @Test
  void latestWaitsUntilTheLocalReplicaAppliedWhatWasCommittedBeforeTheCall() throws Exception {
    RaftGroupId metadataGroup = cluster.node(0).raftNode().metadataGroup().getGroupId();
    int leaderIndex = await("a metadata leader").atMost(Duration.ofSeconds(30)).until(() -> IntStream.range(0, 3)
        .filter(i -> isLeader(cluster.node(i), metadataGroup)).findFirst(), found -> found.isPresent()).getAsInt();
    Node leader = cluster.node(leaderIndex);
    Node trailing = cluster.node((leaderIndex + 1) % 3);

    CountDownLatch applyHeld = new CountDownLatch(1);
    CountDownLatch releaseApply = new CountDownLatch(1);
    AtomicBoolean holdOnce = new AtomicBoolean(true);
    trailing.metadata().addListener(table -> {
      if (table.node("barrier-1").isPresent() && holdOnce.getAndSet(false)) {
        applyHeld.countDown();
        awaitQuietly(releaseApply);
      }
    });

    try {
      assertLatestWaitsForTheTrailingReplica(leader, trailing, applyHeld, releaseApply);
    } finally {
      releaseApply.countDown(); // never leave the replica held, whatever failed
    }
  }

  private static void assertLatestWaitsForTheTrailingReplica(Node leader, Node trailing, CountDownLatch applyHeld,
                                                             CountDownLatch releaseApply) throws Exception {
    leader.metadata().submit(new MetadataCommand.RegisterNode("barrier-1", NOWHERE)).get(30, TimeUnit.SECONDS);
    assertThat(applyHeld.await(30, TimeUnit.SECONDS)).as("the trailing replica is inside the apply of barrier-1").isTrue();
    RoutingTable committed = leader.metadata().submit(new MetadataCommand.RegisterNode("barrier-2", NOWHERE))
        .get(30, TimeUnit.SECONDS);
    assertThat(committed.node("barrier-2")).isPresent();
    assertThat(trailing.metadata().current().node("barrier-2")).as("the local copy trails the commit").isEmpty();

    CompletableFuture<RoutingTable> latest = trailing.metadata().latest();
    await("latest() waits while the replica trails").during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
        .until(() -> !latest.isDone());
    releaseApply.countDown();
    RoutingTable caughtUp = latest.get(30, TimeUnit.SECONDS);
    assertThat(caughtUp.node("barrier-2")).as("the table latest() answers holds the entry committed before the call")
        .isPresent();
  }

  private static boolean isLeader(Node node, RaftGroupId group) {
    try {
      return node.raftNode().server().getDivision(group).getInfo().isLeader();
    } catch (java.io.IOException e) {
      return false;
    }
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
