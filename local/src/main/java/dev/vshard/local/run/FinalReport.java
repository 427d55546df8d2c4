package dev.vshard.local.run;

import dev.vshard.operator.migration.MigrationPhase;
import dev.vshard.operator.model.PhaseRecord;
import dev.vshard.operator.model.VShardMigration;
import dev.vshard.operator.model.VShardMigrationStatus;
import dev.vshard.operator.model.WritePause;
import dev.vshard.operator.spec.KubernetesDuration;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.time.Duration;
import java.util.Locale;
import java.util.stream.Collectors;

/** The end of a run: the resource as {@code kubectl get -o yaml} shows it, and a one-line summary. */
public final class FinalReport {

  private final KubernetesSerialization serialization;

  public FinalReport(KubernetesSerialization serialization) {
    this.serialization = serialization;
  }

  public String yaml(VShardMigration migration) {
    // asYaml starts a YAML stream ("---"); kubectl get -o yaml prints the bare document
    return serialization.asYaml(migration).replaceFirst("\\A---\\s*\\n", "");
  }

  /**
   * {@code Completed vsm/x in 6.2s: vShard 0 demo-node-0 -> demo-node-3; phases Pending 0.1s, ...; write pause
   * 3.1ms (budget 500ms); routing epoch 12; sample keys of vShard 0 read back 251/251}
   */
  public String summary(VShardMigration migration, SampleData.Verification verification, LiveTraffic.Result live) {
    VShardMigrationStatus status = migration.getStatus();
    StringBuilder line = new StringBuilder().append(status.getPhase()).append(" vsm/").append(migration.getMetadata().getName())
        .append(" in ").append(status.getElapsed() == null ? "?" : status.getElapsed())
        .append(": vShard ").append(migration.getSpec().getVshard()).append(' ').append(migration.getSpec().getSourceNode())
        .append(" -> ").append(migration.getSpec().getTargetNode())
        .append("; phases ").append(phases(status));
    if (status.getPhase() == MigrationPhase.Failed) {
      line.append("; reason ").append(status.getReason()).append(": ").append(status.getMessage());
    }
    WritePause pause = status.getWritePause();
    if (pause != null && pause.getActualMicros() != null) {
      line.append("; write pause ").append(micros(pause.getActualMicros())).append(" (budget ").append(pause.getBudget()).append(')');
    }
    if (status.getRoutingEpoch() != null) {
      line.append("; routing epoch ").append(status.getRoutingEpoch());
    }
    if (verification != null) {
      line.append("; sample keys of vShard ").append(verification.vshard()).append(" read back ")
          .append(verification.matched()).append('/').append(verification.expected());
    }
    if (live != null) {
      line.append("; live writes during the move ").append(live.acknowledged()).append(" acknowledged, ").append(live.readBack())
          .append(" read back");
      if (live.refused() > 0) {
        line.append(" (").append(live.refused()).append(" refused, not acknowledged)");
      }
    }
    return line.toString();
  }

  private static String phases(VShardMigrationStatus status) {
    if (status.getPhases() == null || status.getPhases().isEmpty()) {
      return "(none recorded)";
    }
    // the terminal phase has no duration: the summary already starts with it
    return status.getPhases().stream().filter(record -> !record.getPhase().isTerminal()).map(FinalReport::phase)
        .collect(Collectors.joining(", "));
  }

  private static String phase(PhaseRecord record) {
    if (record.getDurationMillis() != null) {
      return record.getPhase() + " " + KubernetesDuration.format(Duration.ofMillis(record.getDurationMillis()));
    }
    return record.getPhase() + (record.getDuration() != null ? " " + record.getDuration() : "");
  }

  private static String micros(long micros) {
    return micros < 1000 ? micros + "us" : String.format(Locale.ROOT, "%.1fms", micros / 1000.0);
  }
}
