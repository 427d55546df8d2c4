package dev.vshard.operator.metrics;

import dev.vshard.operator.migration.MigrationPhase;
import dev.vshard.operator.model.PhaseRecord;
import dev.vshard.operator.model.VShardMigrationStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/**
 * Prometheus metrics: {@code vshard_migrations_total{result}}, {@code vshard_migration_phase_duration_seconds{phase}},
 * {@code vshard_migration_write_pause_seconds}, {@code vshard_migrations_active}.
 */
public class MigrationMetrics {

  private final MeterRegistry registry;
  private final DistributionSummary writePause;

  public MigrationMetrics(MeterRegistry registry, Supplier<Number> activeMigrations) {
    this.registry = registry;
    this.writePause = DistributionSummary.builder("vshard.migration.write.pause")
        .description("Write pause measured by the node during cut-overs").baseUnit("seconds").register(registry);
    Gauge.builder("vshard.migrations.active", activeMigrations)
        .description("Migrations in BaseCopy, WalCatchUp or AtomicCutOver").register(registry);
  }

  /** Call after a phase change: times the phase that ended and counts finished migrations. */
  public void phaseChanged(VShardMigrationStatus status) {
    List<PhaseRecord> phases = status.getPhases();
    if (phases.size() >= 2) {
      PhaseRecord ended = phases.get(phases.size() - 2);
      if (ended.getDurationMillis() != null) {
        Timer.builder("vshard.migration.phase.duration").description("Time spent in each migration phase")
            .tag("phase", ended.getPhase().name()).register(registry).record(Duration.ofMillis(ended.getDurationMillis()));
      }
    }
    if (status.getPhase().isTerminal()) {
      String result = status.getPhase() == MigrationPhase.Completed ? status.getReason() : "Failed";
      Counter.builder("vshard.migrations").description("Finished migrations by result")
          .tag("result", result == null ? status.getPhase().name() : result).register(registry).increment();
      if (status.getWritePause() != null && status.getWritePause().getActualMicros() != null) {
        writePause.record(status.getWritePause().getActualMicros() / 1_000_000.0);
      }
    }
  }
}
