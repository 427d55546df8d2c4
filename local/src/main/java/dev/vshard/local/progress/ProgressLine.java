package dev.vshard.local.progress;

import dev.vshard.operator.model.Progress;
import dev.vshard.operator.model.VShardMigration;
import dev.vshard.operator.model.VShardMigrationStatus;
import java.time.Duration;
import java.util.Locale;

/** One line of live progress: {@code vsm/move-0  BaseCopy  lag 12  copied 1.2 MiB  step -  elapsed 3.4s}. */
public final class ProgressLine {

  private ProgressLine() {}

  /** The part that changes only when the operator reports something new (no clock in it). */
  public static String state(VShardMigration migration) {
    VShardMigrationStatus status = migration.getStatus();
    if (status == null || status.getPhase() == null) {
      return "vsm/" + migration.getMetadata().getName() + "  waiting for the operator";
    }
    StringBuilder line = new StringBuilder("vsm/").append(migration.getMetadata().getName()).append("  ").append(status.getPhase());
    Progress progress = status.getProgress();
    if (progress != null) {
      if (progress.getLag() != null) {
        line.append("  lag ").append(progress.getLag());
      }
      if (progress.getBytesReceived() != null) {
        line.append("  copied ").append(bytes(progress.getBytesReceived()));
      }
      if (progress.getCutOverStep() != null) {
        line.append("  step ").append(progress.getCutOverStep());
      }
    }
    if (status.getReason() != null && !status.getPhase().isTerminal() && !status.getReason().equals(status.getPhase().name())) {
      line.append("  (").append(status.getReason()).append(')');
    }
    return line.toString();
  }

  public static String withElapsed(VShardMigration migration, Duration sinceApplied) {
    return state(migration) + "  elapsed " + seconds(sinceApplied);
  }

  static String bytes(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    if (bytes < 1024 * 1024) {
      return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
    }
    return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024));
  }

  static String seconds(Duration duration) {
    return String.format(Locale.ROOT, "%.1fs", duration.toMillis() / 1000.0);
  }
}
