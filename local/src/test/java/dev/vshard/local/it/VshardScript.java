package dev.vshard.local.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs the README's script, {@code ./vshard}, as a separate process from the repository root — the
 * jars exist after {@code package}, so no Maven runs inside Maven.
 */
final class VshardScript {

  private static final Pattern NODE_PID = Pattern.compile("pod \\S+ ready at \\S+ \\(pid (\\d+)\\)");

  /** A started run: its process and where its output goes. */
  record Run(Process process, Path stdout, Path stderr) {

    String out() {
      return read(stdout);
    }

    String err() {
      return read(stderr);
    }

    String describe() {
      return "--- stdout ---\n" + out() + "\n--- stderr ---\n" + err();
    }

    /** Node JVM pids the CLI reported. */
    List<Long> nodePids() {
      List<Long> pids = new ArrayList<>();
      Matcher matcher = NODE_PID.matcher(out());
      while (matcher.find()) {
        pids.add(Long.parseLong(matcher.group(1)));
      }
      return pids;
    }

    int awaitExit(Duration timeout) throws InterruptedException {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        throw new AssertionError("./vshard did not exit within " + timeout + "\n" + describe());
      }
      return process.exitValue();
    }

    /** Every process the run started (the CLI's JVM and the node JVMs) is gone. */
    void assertNothingLeftRunning(List<Long> pids) {
      assertThat(process.isAlive()).isFalse();
      assertThat(pids).as("node pids reported by the run").isNotEmpty();
      for (long pid : pids) {
        assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).as("process %d after the run", pid).isEmpty();
      }
    }

    private static String read(Path file) {
      try {
        return Files.readString(file);
      } catch (IOException e) {
        throw new AssertionError("cannot read " + file, e);
      }
    }
  }

  static Path repo() {
    return Path.of(System.getProperty("vshard.repo", "..")).toAbsolutePath().normalize();
  }

  static Run start(Path outputDir, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(repo().resolve("vshard").toString()));
    command.addAll(List.of(args));
    Files.createDirectories(outputDir);
    Path stdout = Files.createTempFile(outputDir, "vshard", ".out");
    Path stderr = Files.createTempFile(outputDir, "vshard", ".err");
    ProcessBuilder builder = new ProcessBuilder(command).directory(repo().toFile())
        .redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
    builder.environment().remove("VSHARD_HOME");
    return new Run(builder.start(), stdout, stderr);
  }

  private VshardScript() {}
}
