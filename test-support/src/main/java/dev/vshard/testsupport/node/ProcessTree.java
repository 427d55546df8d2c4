package dev.vshard.testsupport.node;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Ends a process and everything it started, and waits until they are gone. */
final class ProcessTree {

  private static final Duration KILL_WAIT = Duration.ofSeconds(30);

  private ProcessTree() {}

  /** SIGKILL to the descendants and the process; returns the exit code (137 for a JVM). */
  static int kill(Process process) {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    return awaitExit(process, KILL_WAIT);
  }

  /** SIGTERM, then SIGKILL when it is not gone within {@code grace}; returns the exit code. */
  static int terminate(Process process, Duration grace) {
    process.destroy();
    try {
      process.onExit().get(grace.toMillis(), TimeUnit.MILLISECONDS);
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      return process.exitValue();
    } catch (TimeoutException stillRunning) {
      return kill(process);
    } catch (ExecutionException e) {
      throw new IllegalStateException("waiting for process " + process.pid() + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return kill(process);
    }
  }

  private static int awaitExit(Process process, Duration wait) {
    try {
      if (!process.waitFor(wait.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException("process " + process.pid() + " survived SIGKILL for " + wait);
      }
      return process.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for process " + process.pid() + " to exit", e);
    }
  }
}
