package dev.vshard.node;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** Asks an initial member, on its HTTP port, whether it is up and whether its routing table is bootstrapped. */
final class MemberProbe {
  private static final Duration TIMEOUT = Duration.ofSeconds(2);

  private final HttpClient http;
  private final NodeConfig config;
  private final ObjectMapper json;

  MemberProbe(HttpClient http, NodeConfig config, ObjectMapper json) {
    this.http = http;
    this.config = config;
    this.json = json;
  }

  /** Completes normally once the member's {@code /healthz} (served only after its Raft server started) answers. */
  CompletableFuture<Void> answers(InitialMember member) {
    return get(member, "/healthz", HttpResponse.BodyHandlers.discarding()).thenAccept(response -> { });
  }

  /** Whether the member's copy of the routing table ({@code GET /v1/routing}) says the cluster is bootstrapped. */
  CompletableFuture<Boolean> sawBootstrap(InitialMember member) {
    return get(member, "/v1/routing", HttpResponse.BodyHandlers.ofString()).thenApply(response -> {
      try {
        return json.readTree(response.body()).path("bootstrapped").asBoolean(false);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  private <T> CompletableFuture<HttpResponse<T>> get(InitialMember member, String path, HttpResponse.BodyHandler<T> body) {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + member.host() + ":" + config.httpPort() + path))
        .timeout(TIMEOUT).GET().build();
    return http.sendAsync(request, body).thenApply(response -> {
      if (response.statusCode() != 200) {
        throw new IllegalStateException(member.id() + " answered " + response.statusCode() + " to " + path);
      }
      return response;
    });
  }
}
