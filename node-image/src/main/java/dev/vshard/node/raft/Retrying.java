package dev.vshard.node.raft;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Repeats an asynchronous step until it succeeds, each new attempt scheduled after a delay (no thread
 * sleeps). Used where the other side is expected to come up eventually: peers during bootstrap, the metadata
 * leader after an election, the running cluster for a joining node. Stops when the node shuts down.
 */
public final class Retrying {
  private static final Logger LOG = LoggerFactory.getLogger(Retrying.class);

  private Retrying() {
  }

  /**
   * @param scheduler schedules the next attempt (the node's scheduler; the default async pool would start a
   *                  thread per task on a 2-core machine)
   */
  public static <T> CompletableFuture<T> untilSuccess(String what, Supplier<CompletableFuture<T>> attempt, Duration delay,
                                                      BooleanSupplier stopped, ScheduledExecutorService scheduler) {
    return attempt(what, attempt, CompletableFuture.delayedExecutor(delay.toMillis(), TimeUnit.MILLISECONDS, scheduler), stopped, 1);
  }

  private static <T> CompletableFuture<T> attempt(String what, Supplier<CompletableFuture<T>> attempt, Executor delay,
                                                  BooleanSupplier stopped, int number) {
    if (stopped.getAsBoolean()) {
      return CompletableFuture.failedFuture(new CancellationException(what + ": node is shutting down"));
    }
    CompletableFuture<T> result;
    try {
      result = attempt.get();
    } catch (RuntimeException e) {
      result = CompletableFuture.failedFuture(e);
    }
    return result.handle((value, failure) -> {
      if (failure == null) {
        return CompletableFuture.completedFuture(value);
      }
      if (number == 1 || number % 20 == 0) {
        LOG.info("{}: attempt {} failed ({}); trying again", what, number, rootMessage(failure));
      }
      return CompletableFuture.supplyAsync(() -> null, delay)
          .thenCompose(x -> attempt(what, attempt, delay, stopped, number + 1));
    }).thenCompose(f -> f);
  }

  private static String rootMessage(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getClass().getSimpleName() + ": " + root.getMessage();
  }
}
