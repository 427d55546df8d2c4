package dev.vshard.helm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The operator's runnable jar (operator/target/vshard-operator.jar, what operator/Dockerfile ships)
 * as its own JVM, with exactly the environment a container gets. A separate process because the
 * operator exits the JVM when it stops leading (JOSDK's exitOnStopLeading), as it should in a pod.
 */
final class OperatorProcess implements AutoCloseable {

  private final Process process;
  private final Path log;

  private OperatorProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  static Path jar() {
    Path jar = Chart.repoRoot().resolve("operator/target/vshard-operator.jar");
    if (!Files.isRegularFile(jar)) {
      throw new AssertionError(jar + " is missing: build the operator first (mvn -pl helm -am verify)");
    }
    return jar;
  }

  /** Starts {@code java -jar vshard-operator.jar} with only {@code environment} (plus PATH). */
  static OperatorProcess start(Map<String, String> environment, Path log) {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    ProcessBuilder builder = new ProcessBuilder(java.toString(), "-jar", jar().toString())
        .redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().clear();
    builder.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
    builder.environment().putAll(environment);
    try {
      return new OperatorProcess(builder.start(), log);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  boolean isAlive() {
    return process.isAlive();
  }

  String output() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Kills the process. Not SIGTERM: with leader election on, JOSDK calls System.exit when the
   * shutdown hook stops leading, which blocks the hook forever (reported to the operator's owner).
   */
  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
  }
}
