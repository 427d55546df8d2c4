package dev.vshard.operator.http;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

class HealthServerTest {

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void servesProbesAndMetrics() throws Exception {
    AtomicBoolean ready = new AtomicBoolean(false);
    try (HealthServer server = new HealthServer(0, () -> true, ready::get, () -> "vshard_migrations_active 2.0\n")) {
      assertThat(get(server, "/healthz").statusCode()).isEqualTo(200);
      assertThat(get(server, "/readyz").statusCode()).isEqualTo(503);
      ready.set(true);
      assertThat(get(server, "/readyz").statusCode()).isEqualTo(200);
      HttpResponse<String> metrics = get(server, "/metrics");
      assertThat(metrics.statusCode()).isEqualTo(200);
      assertThat(metrics.body()).contains("vshard_migrations_active 2.0");
      assertThat(metrics.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
    }
  }

  private HttpResponse<String> get(HealthServer server, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
