package dev.vshard.operator.reconciler;

import dev.vshard.operator.migration.Admission;
import dev.vshard.operator.migration.MigrationPhase;
import dev.vshard.operator.model.VShardMigration;
import dev.vshard.operator.model.VShardMigrationSpec;
import dev.vshard.operator.model.VShardMigrationStatus;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class MigrationQueueTest {

  private final MigrationQueue queue = new MigrationQueue(2);
  private final List<VShardMigration> all = new ArrayList<>();

  @Test
  void oneMigrationPerVShard() {
    VShardMigration first = add("a", "demo", 1, 1);
    VShardMigration second = add("b", "demo", 1, 2);
    assertThat(admit(first).granted()).isTrue();
    Admission waiting = admit(second);
    assertThat(waiting.granted()).isFalse();
    assertThat(waiting.reason()).isEqualTo("VShardBusy");
    finish(first);
    assertThat(admit(second).granted()).isTrue();
  }

  @Test
  void atMostNActivePerClusterInCreationOrder() {
    VShardMigration a = add("a", "demo", 1, 1);
    VShardMigration b = add("b", "demo", 2, 2);
    VShardMigration c = add("c", "demo", 3, 3);
    VShardMigration d = add("d", "demo", 4, 4);
    VShardMigration other = add("e", "other", 4, 5);
    assertThat(admit(d).granted()).as("c, b, a were created earlier and wait").isFalse();
    assertThat(admit(b).granted()).as("only a is ahead and there are two slots").isTrue();
    assertThat(admit(a).granted()).isTrue();
    Admission third = admit(c);
    assertThat(third.granted()).isFalse();
    assertThat(third.reason()).isEqualTo("Queued");
    assertThat(third.message()).contains("2 of 2");
    assertThat(admit(other).granted()).as("another cluster has its own slots").isTrue();
    start(a);
    finish(a);
    assertThat(admit(d).granted()).as("c is ahead of d").isFalse();
    assertThat(admit(c).granted()).isTrue();
  }

  @Test
  void aReleasedClaimFreesTheSlot() {
    VShardMigration a = add("a", "demo", 1, 1);
    VShardMigration b = add("b", "demo", 2, 2);
    VShardMigration c = add("c", "demo", 3, 3);
    admit(a);
    admit(b);
    assertThat(admit(c).granted()).isFalse();
    queue.gateFor(b, all).release();
    setPhase(b, MigrationPhase.Failed);
    assertThat(admit(c).granted()).isTrue();
  }

  private Admission admit(VShardMigration m) {
    return queue.gateFor(m, all).tryAdmit();
  }

  private VShardMigration add(String name, String cluster, int vshard, int second) {
    VShardMigration m = new VShardMigration();
    m.getMetadata().setName(name);
    m.getMetadata().setNamespace("default");
    m.getMetadata().setUid("uid-" + name);
    m.getMetadata().setCreationTimestamp(String.format("2026-11-25T01:00:%02dZ", second));
    VShardMigrationSpec spec = new VShardMigrationSpec();
    spec.setCluster(cluster);
    spec.setVshard(vshard);
    m.setSpec(spec);
    all.add(m);
    return m;
  }

  private void start(VShardMigration m) {
    setPhase(m, MigrationPhase.BaseCopy);
  }

  private void finish(VShardMigration m) {
    setPhase(m, MigrationPhase.Completed);
  }

  private static void setPhase(VShardMigration m, MigrationPhase phase) {
    VShardMigrationStatus s = new VShardMigrationStatus();
    s.setPhase(phase);
    m.setStatus(s);
  }
}
