package dev.vshard.node.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RoutingTransitionsTest {
  private static final NodeAddress ADDRESS = new NodeAddress("127.0.0.1", 8080, 8081, 9870);

  private static RoutingTable initialized() {
    RoutingTable empty = RoutingTable.empty("c");
    return RoutingTransitions.apply(empty, new MetadataCommand.InitializeCluster("c", 2, 2,
        Map.of("n0", ADDRESS, "n1", ADDRESS, "n2", ADDRESS),
        List.of(ShardRoute.initial(0, List.of("n0", "n1"), 1), ShardRoute.initial(1, List.of("n1", "n2"), 1))));
  }

  @Test
  void membershipChangeBumpsBothEpochsAndRepeatIsANoOp() {
    RoutingTable table = initialized();
    RoutingTable moved = RoutingTransitions.apply(table, new MetadataCommand.UpdateShardMembership(0, List.of("n1", "n2"), List.of()));
    assertThat(moved.epoch()).isEqualTo(table.epoch() + 1);
    assertThat(moved.shard(0).orElseThrow().epoch()).isEqualTo(moved.epoch());
    assertThat(moved.shard(0).orElseThrow().voters()).containsExactly("n1", "n2");
    RoutingTable again = RoutingTransitions.apply(moved, new MetadataCommand.UpdateShardMembership(0, List.of("n1", "n2"), List.of()));
    assertThat(again).isEqualTo(moved);
  }

  @Test
  void holdIsIdempotentPerIdBusyForAnotherAndKeptAfterRelease() {
    RoutingTable table = RoutingTransitions.apply(initialized(), new MetadataCommand.AcquireHold(0, "m1", "n0", "n2"));
    assertThat(RoutingTransitions.apply(table, new MetadataCommand.AcquireHold(0, "m1", "n0", "n2"))).isEqualTo(table);
    assertThatThrownBy(() -> RoutingTransitions.apply(table, new MetadataCommand.AcquireHold(0, "m2", "n0", "n2")))
        .isInstanceOfSatisfying(MetadataRejectedException.class, e -> assertThat(e.code()).isEqualTo("VShardBusy"));
    assertThatThrownBy(() -> RoutingTransitions.apply(table, new MetadataCommand.RecordStep(0, "m2", "learner", null)))
        .isInstanceOf(MetadataRejectedException.class);

    RoutingTable recorded = RoutingTransitions.apply(table,
        new MetadataCommand.RecordStep(0, "m1", "learner", JsonNodeFactory.instance.objectNode().put("state", "Added")));
    RoutingTable released = RoutingTransitions.apply(recorded, new MetadataCommand.ReleaseHold(0, "m1"));
    ShardRoute route = released.shard(0).orElseThrow();
    assertThat(route.hold()).isNull();
    assertThat(route.lastMigration().migrationId()).isEqualTo("m1");
    assertThat(route.lastMigration().steps().get("learner").get("state").asText()).isEqualTo("Added");
    assertThat(released.epoch()).isEqualTo(table.epoch());
    assertThat(RoutingTransitions.apply(released, new MetadataCommand.ReleaseHold(0, "m1"))).isEqualTo(released);
  }

  @Test
  void unknownVShardAndUninitializedTableAreRejected() {
    assertThatThrownBy(() -> RoutingTransitions.apply(initialized(), new MetadataCommand.AcquireHold(5, "m", "a", "b")))
        .isInstanceOfSatisfying(MetadataRejectedException.class, e -> {
          assertThat(e.code()).isEqualTo("UnknownVShard");
          assertThat(e.field()).isEqualTo("vshard");
        });
    assertThatThrownBy(() -> RoutingTransitions.apply(RoutingTable.empty("c"), new MetadataCommand.MarkBootstrapped()))
        .isInstanceOfSatisfying(MetadataRejectedException.class, e -> assertThat(e.code()).isEqualTo("NotBootstrapped"));
  }

  @Test
  void secondInitializeKeepsTheCommittedPlan() {
    RoutingTable table = RoutingTransitions.apply(initialized(), new MetadataCommand.UpdateShardMembership(0, List.of("n2"), List.of()));
    RoutingTable again = RoutingTransitions.apply(table, new MetadataCommand.InitializeCluster("c", 2, 2, Map.of(),
        List.of(ShardRoute.initial(0, List.of("n0", "n1"), 1), ShardRoute.initial(1, List.of("n1", "n2"), 1))));
    assertThat(again).isEqualTo(table);
  }

  @Test
  void aBatchAppliesItsCommandsInOrderOrNoneWhenOneIsRejected() {
    RoutingTable held = RoutingTransitions.apply(initialized(), new MetadataCommand.AcquireHold(0, "m1", "n0", "n2"));
    MetadataCommand.RecordStep added = new MetadataCommand.RecordStep(0, "m1", "learner",
        JsonNodeFactory.instance.objectNode().put("state", "Added"));
    RoutingTable batched = RoutingTransitions.apply(held, new MetadataCommand.Batch(List.of(
        new MetadataCommand.UpdateShardMembership(0, List.of("n0", "n1"), List.of("n2")), added,
        new MetadataCommand.ReleaseHold(0, "m1"))));
    RoutingTable oneByOne = RoutingTransitions.apply(RoutingTransitions.apply(RoutingTransitions.apply(held,
        new MetadataCommand.UpdateShardMembership(0, List.of("n0", "n1"), List.of("n2"))), added), new MetadataCommand.ReleaseHold(0, "m1"));
    assertThat(batched).isEqualTo(oneByOne);
    assertThat(batched.shard(0).orElseThrow().listeners()).containsExactly("n2");
    assertThat(batched.shard(0).orElseThrow().lastMigration().steps().get("learner").get("state").asText()).isEqualTo("Added");

    // the record after the release finds no hold: the membership before it is not committed either
    assertThatThrownBy(() -> RoutingTransitions.apply(held, new MetadataCommand.Batch(List.of(
        new MetadataCommand.UpdateShardMembership(0, List.of("n0", "n1"), List.of("n2")), new MetadataCommand.ReleaseHold(0, "m1"), added))))
        .isInstanceOfSatisfying(MetadataRejectedException.class, e -> assertThat(e.code()).isEqualTo("NoHold"));
    assertThat(held.shard(0).orElseThrow().listeners()).isEmpty();
  }

  @Test
  void commandsAndTablesRoundTripThroughJson() throws Exception {
    ObjectMapper json = new ObjectMapper();
    MetadataCommand command = new MetadataCommand.AcquireHold(1, "m", "n1", "n0");
    byte[] bytes = json.writerFor(MetadataCommand.class).writeValueAsBytes(command);
    assertThat(json.readValue(bytes, MetadataCommand.class)).isEqualTo(command);
    MetadataCommand batch = new MetadataCommand.Batch(List.of(command, new MetadataCommand.ReleaseHold(1, "m")));
    assertThat(json.readValue(json.writerFor(MetadataCommand.class).writeValueAsBytes(batch), MetadataCommand.class)).isEqualTo(batch);
    RoutingTable table = RoutingTransitions.apply(initialized(), command);
    assertThat(json.readValue(json.writeValueAsBytes(table), RoutingTable.class)).isEqualTo(table);
  }
}
