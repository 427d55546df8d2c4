package dev.vshard.testsupport.kube;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Runs the machine's {@code kubectl} against a kubeconfig, with its own discovery cache directory (so a
 * stale cache from an earlier server on the same port never answers). For tests and local mode.
 */
public final class Kubectl {

  /** What one kubectl run did. */
  public record Result(int exitCode, String stdout, String stderr) {
    public String describe() {
      return "exit " + exitCode + "\n--- stdout ---\n" + stdout + "\n--- stderr ---\n" + stderr;
    }
  }

  private final String executable;
  private final Path kubeconfig;
  private final Path cacheDir;
  /** started process -> its stdout and stderr files */
  private final Map<Process, Path[]> outputs = new ConcurrentHashMap<>();

  public Kubectl(Path kubeconfig, Path cacheDir) {
    this(System.getenv().getOrDefault("KUBECTL", "kubectl"), kubeconfig, cacheDir);
  }

  public Kubectl(String executable, Path kubeconfig, Path cacheDir) {
    this.executable = executable;
    this.kubeconfig = kubeconfig;
    this.cacheDir = cacheDir;
  }

  /** Runs {@code kubectl --kubeconfig K --cache-dir C args...} and waits at most {@code timeout}. */
  public Result run(Duration timeout, String... args) {
    Process process = start(args);
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException("kubectl " + String.join(" ", args) + " did not finish in " + timeout);
      }
      return result(process);
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running kubectl", e);
    }
  }

  /** Starts kubectl without waiting, e.g. {@code kubectl wait}; read the outcome with {@link #result(Process)}. */
  public Process start(String... args) {
    List<String> command = new ArrayList<>(List.of(executable, "--kubeconfig", kubeconfig.toString(), "--cache-dir", cacheDir.toString()));
    command.addAll(List.of(args));
    try {
      Path out = Files.createTempFile("kubectl-out", ".txt");
      Path err = Files.createTempFile("kubectl-err", ".txt");
      out.toFile().deleteOnExit();
      err.toFile().deleteOnExit();
      Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      outputs.put(process, new Path[] {out, err});
      return process;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + executable + " (is kubectl installed and on the PATH? set KUBECTL to its path)", e);
    }
  }

  /** The outcome of a finished process started with {@link #start(String...)}. */
  public Result result(Process process) {
    if (process.isAlive()) {
      throw new IllegalStateException("kubectl (pid " + process.pid() + ") is still running");
    }
    Path[] files = outputs.remove(process);
    try {
      Result result = new Result(process.exitValue(), Files.readString(files[0]), Files.readString(files[1]));
      Files.deleteIfExists(files[0]);
      Files.deleteIfExists(files[1]);
      return result;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read kubectl's output", e);
    }
  }
}
