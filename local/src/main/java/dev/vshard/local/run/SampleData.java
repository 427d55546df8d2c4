package dev.vshard.local.run;

import dev.vshard.node.routing.KeyPlacement;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Sample keys written through the data API before the migration and read back after it, so the demo
 * shows the moved vShard still answers with every value. Writes go out as several concurrent chains
 * of asynchronous requests, spread over the nodes (any node forwards to the vShard's leader).
 */
public final class SampleData {

  private static final int CHAINS = 16;
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

  /** Keys of one vShard read back after the move. */
  public record Verification(int vshard, int expected, int matched, List<String> mismatches) {
    public boolean allMatched() {
      return expected == matched;
    }
  }

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final List<URI> nodes;
  private final int vshards;
  private final Map<String, String> written = new ConcurrentHashMap<>();

  public SampleData(List<URI> nodeHttpUris, int vshards) {
    this.nodes = List.copyOf(nodeHttpUris);
    this.vshards = vshards;
  }

  /** Writes {@code count} keys {@code sample-00000...}; completes when all are acknowledged. */
  public CompletableFuture<Integer> write(int count) {
    List<CompletableFuture<Void>> chains = new ArrayList<>();
    for (int chain = 0; chain < CHAINS; chain++) {
      CompletableFuture<Void> next = CompletableFuture.completedFuture(null);
      for (int i = chain; i < count; i += CHAINS) {
        String key = "sample-%05d".formatted(i);
        String value = "value of " + key + " written before the move";
        URI node = nodes.get(i % nodes.size());
        next = next.thenCompose(previous -> put(node, key, value));
      }
      chains.add(next);
    }
    return CompletableFuture.allOf(chains.toArray(CompletableFuture[]::new)).thenApply(done -> written.size());
  }

  /** How many keys were written to {@code vshard}. */
  public int keysIn(int vshard) {
    return (int) written.keySet().stream().filter(key -> KeyPlacement.vshardOf(key, vshards) == vshard).count();
  }

  /** Reads every written key of {@code vshard} back through {@code via} and compares the values. */
  public Verification verify(int vshard, URI via) {
    Map<String, String> expected = new LinkedHashMap<>();
    written.entrySet().stream().filter(e -> KeyPlacement.vshardOf(e.getKey(), vshards) == vshard).sorted(Map.Entry.comparingByKey())
        .forEach(e -> expected.put(e.getKey(), e.getValue()));
    List<CompletableFuture<String>> reads = expected.entrySet().stream()
        .map(e -> get(via, e.getKey()).thenApply(actual -> e.getValue().equals(actual) ? null : e.getKey() + " read back as " + actual))
        .toList();
    List<String> mismatches = reads.stream().map(CompletableFuture::join).filter(java.util.Objects::nonNull).toList();
    return new Verification(vshard, expected.size(), expected.size() - mismatches.size(), mismatches);
  }

  private CompletableFuture<Void> put(URI node, String key, String value) {
    HttpRequest request = HttpRequest.newBuilder(keyUri(node, key)).timeout(REQUEST_TIMEOUT)
        .PUT(HttpRequest.BodyPublishers.ofString(value)).build();
    return http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).thenAccept(response -> {
      if (response.statusCode() != 200) {
        throw new IllegalStateException("writing sample key " + key + " to " + node + " answered " + response.statusCode() + ": " + response.body());
      }
      written.put(key, value);
    });
  }

  private CompletableFuture<String> get(URI node, String key) {
    HttpRequest request = HttpRequest.newBuilder(keyUri(node, key)).timeout(REQUEST_TIMEOUT).GET().build();
    return http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
        .thenApply(response -> response.statusCode() == 200 ? response.body() : "HTTP " + response.statusCode() + " " + response.body());
  }

  private static URI keyUri(URI node, String key) {
    return node.resolve("/v1/kv/" + URLEncoder.encode(key, StandardCharsets.UTF_8));
  }
}
