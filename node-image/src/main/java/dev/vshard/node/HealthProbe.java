package dev.vshard.node;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** Asks an initial member's {@code /healthz} (served only after its Raft server started) whether it is up. */
final class HealthProbe {
  private final HttpClient http;
  private final NodeConfig config;

  HealthProbe(HttpClient http, NodeConfig config) {
    this.http = http;
    this.config = config;
  }

  CompletableFuture<Void> answers(InitialMember member) {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + member.host() + ":" + config.httpPort() + "/healthz"))
        .timeout(Duration.ofSeconds(2)).GET().build();
    return http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).thenAccept(response -> {
      if (response.statusCode() != 200) {
        throw new IllegalStateException(member.id() + " is not healthy yet: " + response.statusCode());
      }
    });
  }
}
