package dev.vshard.operator.migration;

import dev.vshard.operator.model.PodIdentity;
import dev.vshard.operator.model.VShardMigration;
import dev.vshard.operator.model.VShardMigrationSpec;
import dev.vshard.operator.node.NodeCluster;
import dev.vshard.operator.node.NodeEndpoint;
import dev.vshard.operator.spec.MigrationSpecValidator;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** A cluster of four fake pods (demo-node-0..3), a migration of vShard 3 from node 0 to node 3, a clock. */
final class MigrationFixture {

  final FakeNodeAdmin admin = new FakeNodeAdmin();
  final Map<String, NodeEndpoint> pods = new LinkedHashMap<>();
  final VShardMigration migration = new VShardMigration();
  final MigrationStateMachine machine = new MigrationStateMachine(new MigrationSpecValidator(),
      new MigrationSettings(3, 2, Duration.ofSeconds(1), Duration.ofMillis(500), Duration.ofSeconds(2)));
  Instant now = Instant.parse("2026-11-25T01:00:00Z");
  boolean slotFree = true;
  int released;

  MigrationFixture() {
    for (int i = 0; i < 4; i++) {
      String name = "demo-node-" + i;
      pods.put(name, new NodeEndpoint(new PodIdentity(name, "uid-" + i, 0, "127.0.0." + (i + 1)), 8081, 8080, true));
      admin.directory.add(name);
    }
    admin.shard(3, "demo-node-0", "demo-node-1", "demo-node-2");
    migration.getMetadata().setName("move-3");
    migration.getMetadata().setNamespace("default");
    migration.getMetadata().setUid("mig-uid");
    migration.getMetadata().setGeneration(1L);
    VShardMigrationSpec spec = new VShardMigrationSpec();
    spec.setCluster("demo");
    spec.setVshard(3);
    spec.setSourceNode("demo-node-0");
    spec.setTargetNode("demo-node-3");
    spec.setCatchUpThreshold(10L);
    spec.setCatchUpTimeout("1m");
    migration.setSpec(spec);
  }

  FakeNodeAdmin.Shard shard() {
    return admin.shards.get(3);
  }

  MigrationPhase phase() {
    return migration.getStatus().getPhase();
  }

  StepContext context() {
    NodeCluster cluster = new NodeCluster("default", "demo", new LinkedHashMap<>(pods), "token");
    SlotGate gate = new SlotGate() {
      @Override
      public Admission tryAdmit() {
        return slotFree ? Admission.grant() : Admission.wait("Queued", "cluster demo has 4 of 4 migrations active");
      }

      @Override
      public void release() {
        released++;
      }
    };
    return new StepContext(migration, pods.isEmpty() ? Optional.empty() : Optional.of(cluster), admin, false, gate, now);
  }

  StepOutcome step() {
    StepOutcome outcome = machine.step(context());
    migration.setStatus(outcome.status());
    return outcome;
  }

  void advance(Duration d) {
    now = now.plus(d);
  }

  /** Drives the migration to WalCatchUp with the target fully caught up. */
  void driveToWalCatchUp() {
    step();
    shard().matchIndex.put("demo-node-3", shard().commitIndex);
    advance(Duration.ofSeconds(1));
    step();
  }

  /** Drives the migration to AtomicCutOver. */
  void driveToCutOver() {
    driveToWalCatchUp();
    advance(Duration.ofSeconds(1));
    step();
    advance(Duration.ofSeconds(1));
    step();
  }
}
