package dev.vshard.testsupport.node;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Polls a node's {@code /readyz} on a scheduler until it answers 200; fails early, with the log's
 * tail, when the process exits first or the timeout passes.
 */
final class ReadinessProbe {

  private static final Duration INTERVAL = Duration.ofMillis(250);
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(3);

  private final HttpClient http;
  private final ScheduledExecutorService scheduler;

  ReadinessProbe(HttpClient http, ScheduledExecutorService scheduler) {
    this.http = http;
    this.scheduler = scheduler;
  }

  CompletableFuture<Void> awaitReady(String nodeId, URI readyz, Process process, Duration timeout, Path log) {
    CompletableFuture<Void> ready = new CompletableFuture<>();
    Instant deadline = Instant.now().plus(timeout);
    poll(new Attempt(nodeId, HttpRequest.newBuilder(readyz).timeout(REQUEST_TIMEOUT).GET().build(), process, deadline, log, ready));
    return ready;
  }

  private record Attempt(String nodeId, HttpRequest request, Process process, Instant deadline, Path log, CompletableFuture<Void> ready) {}

  private void poll(Attempt attempt) {
    if (attempt.ready().isDone()) {
      return;
    }
    if (!attempt.process().isAlive()) {
      attempt.ready().completeExceptionally(new NodeStartException("node " + attempt.nodeId() + " exited with code "
          + attempt.process().exitValue() + " before it was ready", attempt.log()));
      return;
    }
    if (Instant.now().isAfter(attempt.deadline())) {
      attempt.ready().completeExceptionally(new NodeStartException("node " + attempt.nodeId() + " was not ready at "
          + attempt.request().uri() + " in time", attempt.log()));
      return;
    }
    http.sendAsync(attempt.request(), HttpResponse.BodyHandlers.discarding()).whenComplete((response, error) -> {
      if (error == null && response.statusCode() == 200) {
        attempt.ready().complete(null);
      } else if (!scheduler.isShutdown()) {
        scheduler.schedule(() -> poll(attempt), INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
      }
    });
  }
}
