package dev.vshard.local.progress;

import dev.vshard.operator.model.VShardMigration;
import java.io.PrintStream;
import java.time.Duration;

/** Shows a running migration: one redrawn line on a terminal, plain lines otherwise (logs, CI, pipes). */
public interface ProgressView {

  /** Called on every change of the resource and on a clock tick; implementations decide what to print. */
  void show(VShardMigration migration, Duration sinceApplied);

  /** Ends the live display (a terminal gets its newline). */
  void finish();

  static ProgressView forOutput(PrintStream out, boolean terminal) {
    return terminal ? new TerminalProgress(out) : new PlainProgress(out);
  }
}
