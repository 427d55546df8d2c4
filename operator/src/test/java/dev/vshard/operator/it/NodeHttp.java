package dev.vshard.operator.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vshard.testsupport.node.NodeProcess;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/** The data and admin API of the real node processes, as a test client sees them. */
final class NodeHttp {

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final ObjectMapper json = new ObjectMapper();
  private final String token;

  NodeHttp(String token) {
    this.token = token;
  }

  /** Writes all keys, 16 requests in flight at a time; returns key -> vShard as the nodes answered. */
  Map<String, Integer> putAll(NodeProcess node, Map<String, String> values) {
    Map<String, Integer> vshardOf = new ConcurrentHashMap<>();
    List<Map.Entry<String, String>> entries = List.copyOf(values.entrySet());
    for (int from = 0; from < entries.size(); from += 16) {
      List<CompletableFuture<Void>> batch = entries.subList(from, Math.min(from + 16, entries.size())).stream()
          .map(e -> http.sendAsync(HttpRequest.newBuilder(node.httpUri().resolve("/v1/kv/" + e.getKey()))
                  .timeout(Duration.ofSeconds(60)).PUT(HttpRequest.BodyPublishers.ofString(e.getValue())).build(),
              HttpResponse.BodyHandlers.ofString())
          .thenAccept(r -> {
            if (r.statusCode() != 200) {
              throw new IllegalStateException("PUT " + e.getKey() + " answered " + r.statusCode() + ": " + r.body());
            }
            vshardOf.put(e.getKey(), parse(r.body()).path("vshard").asInt());
          })).toList();
      CompletableFuture.allOf(batch.toArray(CompletableFuture[]::new)).join();
    }
    return vshardOf;
  }

  /** GET /v1/kv/{key} on one node: status and body. */
  HttpResponse<String> get(NodeProcess node, String key) {
    return send(HttpRequest.newBuilder(node.httpUri().resolve("/v1/kv/" + key)).GET());
  }

  JsonNode routing(NodeProcess node) {
    return parse(send(HttpRequest.newBuilder(node.httpUri().resolve("/v1/routing")).GET()).body());
  }

  JsonNode shard(NodeProcess node, int vshard) {
    return routing(node).path("shards").get(vshard);
  }

  /** GET /admin/v1/vshards/{v}/replica on the node itself: status code and body. */
  HttpResponse<String> replica(NodeProcess node, int vshard) {
    return send(HttpRequest.newBuilder(node.adminUri().resolve("/admin/v1/vshards/" + vshard + "/replica"))
        .header("Authorization", "Bearer " + token).GET());
  }

  JsonNode parse(String body) {
    try {
      return json.readTree(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

}
