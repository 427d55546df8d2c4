package dev.vshard.local.progress;

import dev.vshard.operator.model.VShardMigration;
import java.io.PrintStream;
import java.time.Duration;

/** Redraws a single line in place ({@code \r} and erase-to-end-of-line), elapsed time ticking. */
final class TerminalProgress implements ProgressView {

  private static final String ERASE_TO_END = "\u001b[K";

  private final PrintStream out;
  private boolean drawn;

  TerminalProgress(PrintStream out) {
    this.out = out;
  }

  @Override
  public synchronized void show(VShardMigration migration, Duration sinceApplied) {
    out.print("\r" + ProgressLine.withElapsed(migration, sinceApplied) + ERASE_TO_END);
    out.flush();
    drawn = true;
  }

  @Override
  public synchronized void finish() {
    if (drawn) {
      out.println();
      drawn = false;
    }
  }
}
