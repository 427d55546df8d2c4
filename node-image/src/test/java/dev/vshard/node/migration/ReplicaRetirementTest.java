package dev.vshard.node.migration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vshard.node.routing.MigrationHold;
import dev.vshard.node.routing.ShardRoute;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** When a node that a vShard left may remove its old replica: only when the routing table says it is stale. */
class ReplicaRetirementTest {
  private static final long LEFT_AT = 7;
  private static final ShardRoute MOVED = ShardRoute.initial(3, List.of("n1", "n2", "n4"), LEFT_AT);

  @Test
  void aReplicaTheTableNoLongerListsIsStale() {
    assertThat(ReplicaRetirement.stale(MOVED, "n0", LEFT_AT)).isTrue();
    assertThat(ReplicaRetirement.stale(MOVED.withMembership(MOVED.voters(), List.of(), LEFT_AT + 3), "n0", LEFT_AT))
        .as("a later epoch").isTrue();
  }

  @Test
  void aTableThatHasNotReachedTheStubsEpochDecidesNothing() {
    ShardRoute before = MOVED.withMembership(List.of("n0", "n1", "n2"), List.of("n4"), LEFT_AT - 1);
    assertThat(ReplicaRetirement.stale(before, "n0", LEFT_AT)).isFalse();
    assertThat(ReplicaRetirement.stale(MOVED.withMembership(List.of("n1", "n2", "n4"), List.of(), LEFT_AT - 1), "n0",
        LEFT_AT)).as("even when it does not list the node").isFalse();
  }

  @Test
  void aVShardThatCameBackIsNotStale() {
    assertThat(ReplicaRetirement.stale(MOVED.withMembership(List.of("n1", "n2", "n0"), List.of(), LEFT_AT + 1), "n0",
        LEFT_AT)).as("a voter again").isFalse();
    assertThat(ReplicaRetirement.stale(MOVED.withMembership(MOVED.voters(), List.of("n0"), LEFT_AT + 1), "n0", LEFT_AT))
        .as("a listener again").isFalse();
    MigrationHold comingBack = new MigrationHold("back", "n1", "n0", Map.of());
    assertThat(ReplicaRetirement.stale(MOVED.withHold(comingBack), "n0", LEFT_AT))
        .as("the target of a migration that is bringing it back").isFalse();
    MigrationHold elsewhere = new MigrationHold("away", "n1", "n5", Map.of());
    assertThat(ReplicaRetirement.stale(MOVED.withHold(elsewhere), "n0", LEFT_AT)).isTrue();
  }
}
