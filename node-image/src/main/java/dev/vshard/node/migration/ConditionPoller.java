package dev.vshard.node.migration;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Waits for a condition that only polling can observe (a Ratis gauge, another node's report) by checking
 * it on a scheduler; the waiting thread blocks on a future, never in a sleep loop.
 */
public final class ConditionPoller {
  /** A condition check that may fail; a failure counts as "not yet" until the deadline. */
  @FunctionalInterface
  public interface Check {
    boolean holds() throws Exception;
  }

  private final ScheduledExecutorService scheduler;

  public ConditionPoller(ScheduledExecutorService scheduler) {
    this.scheduler = scheduler;
  }

  /**
   * Returns true as soon as {@code check} holds, false when {@code timeout} passes first. The last failure
   * of the check, if any, is kept in {@code lastError} for the caller's message.
   */
  public boolean await(Check check, Duration period, Duration timeout, AtomicReference<Exception> lastError)
      throws InterruptedException {
    CompletableFuture<Boolean> done = new CompletableFuture<>();
    long deadline = System.nanoTime() + timeout.toNanos();
    ScheduledFuture<?> task = scheduler.scheduleWithFixedDelay(() -> {
      try {
        if (check.holds()) {
          done.complete(true);
          return;
        }
      } catch (Exception e) {
        lastError.set(e);
      }
      if (System.nanoTime() >= deadline) {
        done.complete(false);
      }
    }, 0, period.toNanos(), TimeUnit.NANOSECONDS);
    try {
      return done.get();
    } catch (ExecutionException e) {
      throw new IllegalStateException("condition poller failed", e.getCause());
    } finally {
      task.cancel(false);
    }
  }
}
