package dev.vshard.operator.reconciler;

import dev.vshard.operator.model.VShardMigration;
import dev.vshard.operator.model.VShardMigrationSpec;
import dev.vshard.operator.model.VShardMigrationStatus;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class TtlPolicyTest {

  private final Instant completed = Instant.parse("2026-11-25T01:10:00Z");

  @Test
  void countsFromCompletionNotFromStart() {
    VShardMigration m = finished(60);
    m.getStatus().setStartTime("2026-11-25T01:00:00Z");
    assertThat(new TtlPolicy(null).timeLeft(m, completed.plusSeconds(10))).contains(Duration.ofSeconds(50));
  }

  @Test
  void theSpecWinsOverTheOperatorDefault() {
    assertThat(new TtlPolicy(3600).timeLeft(finished(5), completed)).contains(Duration.ofSeconds(5));
  }

  @Test
  void theOperatorDefaultAppliesWhenTheSpecIsSilent() {
    assertThat(new TtlPolicy(30).timeLeft(finished(null), completed)).contains(Duration.ofSeconds(30));
  }

  @Test
  void neverWhenBothAreUnset() {
    assertThat(new TtlPolicy(null).timeLeft(finished(null), completed.plusSeconds(1_000_000))).isEmpty();
  }

  @Test
  void neverWhileRunning() {
    VShardMigration m = finished(0);
    m.getStatus().setCompletionTime(null);
    assertThat(new TtlPolicy(0).timeLeft(m, completed)).isEmpty();
  }

  private VShardMigration finished(Integer ttl) {
    VShardMigration m = new VShardMigration();
    VShardMigrationSpec spec = new VShardMigrationSpec();
    spec.setTtlSecondsAfterFinished(ttl);
    m.setSpec(spec);
    VShardMigrationStatus status = new VShardMigrationStatus();
    status.setCompletionTime(completed.toString());
    m.setStatus(status);
    return m;
  }
}
