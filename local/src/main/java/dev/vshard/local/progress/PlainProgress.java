package dev.vshard.local.progress;

import dev.vshard.operator.model.VShardMigration;
import java.io.PrintStream;
import java.time.Duration;

/** A new line only when the reported state changes (phase, lag, bytes, step), so logs stay readable. */
final class PlainProgress implements ProgressView {

  private final PrintStream out;
  private String lastState = "";

  PlainProgress(PrintStream out) {
    this.out = out;
  }

  @Override
  public synchronized void show(VShardMigration migration, Duration sinceApplied) {
    String state = ProgressLine.state(migration);
    if (!state.equals(lastState)) {
      lastState = state;
      out.println("[" + ProgressLine.seconds(sinceApplied) + "] " + state);
      out.flush();
    }
  }

  @Override
  public void finish() {
    // every line already ended
  }
}
