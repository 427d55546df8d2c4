package dev.vshard.node.migration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vshard.node.routing.NodeAddress;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Admin calls this node makes to another node: ask a replica for its own report (the only trusted source
 * of "my division is RUNNING") and install a ghost stub on the node a vShard left.
 */
public final class PeerAdminClient {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final HttpClient http;
  private final Function<String, NodeAddress> directory;
  private final String token;
  private final ObjectMapper json = new ObjectMapper();

  public PeerAdminClient(HttpClient http, Function<String, NodeAddress> directory, String token) {
    this.http = http;
    this.directory = directory;
    this.token = token;
  }

  /** {@code node}'s own report on its replica of {@code vshard}; empty when it does not host one (404). */
  public Optional<JsonNode> replica(String node, int vshard) throws IOException, InterruptedException {
    return replica(node, vshard, TIMEOUT);
  }

  private Optional<JsonNode> replica(String node, int vshard, Duration timeout)
      throws IOException, InterruptedException {
    HttpResponse<byte[]> response = send(node, "GET", "/admin/v1/vshards/" + vshard + "/replica", null, timeout);
    if (response.statusCode() == 404) {
      return Optional.empty();
    }
    requireOk(node, response);
    return Optional.of(json.readTree(response.body()));
  }

  /** True when {@code node} reports its division of {@code vshard} in lifecycle RUNNING. */
  public boolean reportsRunning(String node, int vshard) throws IOException, InterruptedException {
    return reportsRunning(node, vshard, TIMEOUT);
  }

  /** As {@link #reportsRunning(String, int)}, waiting at most {@code timeout} for the answer. */
  public boolean reportsRunning(String node, int vshard, Duration timeout) throws IOException, InterruptedException {
    return replica(node, vshard, timeout).map(r -> "RUNNING".equals(r.path("lifecycle").asText())).orElse(false);
  }

  /** Installs (idempotently) the ghost stub of {@code vshard} on {@code node}. */
  public void installGhost(String node, int vshard, String newOwner, long epoch, String migrationId)
      throws IOException, InterruptedException {
    byte[] body = json.writeValueAsBytes(Map.of("newOwner", newOwner, "epoch", epoch, "migrationId", migrationId));
    requireOk(node, send(node, "PUT", "/admin/v1/ghosts/" + vshard, body, TIMEOUT));
  }

  private HttpResponse<byte[]> send(String node, String method, String path, byte[] body, Duration timeout)
      throws IOException, InterruptedException {
    NodeAddress address = directory.apply(node);
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + address.host() + ":" + address.adminPort() + path))
        .timeout(timeout)
        .header("Authorization", "Bearer " + token)
        .header("Content-Type", "application/json")
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body))
        .build();
    return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
  }

  private static void requireOk(String node, HttpResponse<byte[]> response) throws IOException {
    if (response.statusCode() / 100 != 2) {
      throw new IOException("node " + node + " answered " + response.statusCode() + " to " + response.request().method()
          + " " + response.request().uri().getPath() + ": " + new String(response.body(), java.nio.charset.StandardCharsets.UTF_8));
    }
  }
}
