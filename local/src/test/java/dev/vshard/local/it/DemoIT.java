package dev.vshard.local.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's first command, {@code ./vshard demo}, end to end as a separate process. */
class DemoIT {

  @TempDir
  Path temp;

  @Test
  void theReadmesFirstCommandMovesTheExampleVShardAndLeavesNothingRunning() throws Exception {
    VshardScript.Run run = VshardScript.start(temp, "demo");

    int exitCode = run.awaitExit(Duration.ofMinutes(12));

    String out = run.out();
    assertThat(exitCode).as(run.describe()).isZero();
    // the final status, as kubectl get -o yaml shows it
    assertThat(out).as(run.describe()).containsPattern(Pattern.compile("^kind: \"?VShardMigration\"?$", Pattern.MULTILINE))
        .containsPattern(Pattern.compile("^  phase: \"?Completed\"?$", Pattern.MULTILINE));
    // the one-line summary: phase durations, the write pause, and the sample data read back
    assertThat(out.lines().filter(line -> line.startsWith("Completed vsm/move-vshard-0 in ")).findFirst())
        .as(run.describe()).hasValueSatisfying(summary -> assertThat(summary)
            .contains("vShard 0 demo-node-0 -> demo-node-3")
            .containsPattern("phases Pending \\S+, BaseCopy \\S+, WalCatchUp \\S+, AtomicCutOver \\S+")
            .containsPattern("write pause [0-9.]+(us|ms|s) \\(budget 5s\\)")
            .containsPattern("sample keys of vShard 0 read back (\\d+)/\\1"));
    run.assertNothingLeftRunning(run.nodePids());
  }
}
