package dev.vshard.local.run;

import dev.vshard.node.routing.KeyPlacement;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Writes to the migrating vShard for as long as the migration runs — through the cut-over, where
 * the node holds them — and afterwards reads every acknowledged one back: the demo's evidence that
 * no acknowledged write is lost. Each chain sends its next write when the previous one is answered.
 */
public final class LiveTraffic {

  private static final int CHAINS = 4;
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

  /** What happened to the writes: acknowledged, refused (not acknowledged, so allowed to be absent), read back intact. */
  public record Result(int acknowledged, int refused, int readBack, List<String> lost) {}

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final List<URI> nodes;
  private final int vshard;
  private final int vshards;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final AtomicInteger sequence = new AtomicInteger();
  private final AtomicInteger refused = new AtomicInteger();
  private final Map<String, String> acknowledged = new ConcurrentHashMap<>();
  private final CompletableFuture<Void> stopped;

  private LiveTraffic(List<URI> nodes, int vshard, int vshards) {
    this.nodes = List.copyOf(nodes);
    this.vshard = vshard;
    this.vshards = vshards;
    CompletableFuture<?>[] chains = new CompletableFuture<?>[CHAINS];
    for (int chain = 0; chain < CHAINS; chain++) {
      chains[chain] = next(chain);
    }
    this.stopped = CompletableFuture.allOf(chains);
  }

  /** Starts writing keys of {@code vshard}, round-robin over the nodes. */
  public static LiveTraffic start(List<URI> nodes, int vshard, int vshards) {
    return new LiveTraffic(nodes, vshard, vshards);
  }

  /** Stops writing and waits for the writes in flight. */
  public void stop() {
    running.set(false);
    stopped.join();
  }

  /** {@link #stop()}, then reads every acknowledged key back through {@code via}. */
  public Result stopAndVerify(URI via) {
    stop();
    List<String> lost = acknowledged.entrySet().stream()
        .filter(entry -> !entry.getValue().equals(read(via, entry.getKey())))
        .map(Map.Entry::getKey).sorted().toList();
    return new Result(acknowledged.size(), refused.get(), acknowledged.size() - lost.size(), lost);
  }

  private CompletableFuture<Void> next(int chain) {
    if (!running.get()) {
      return CompletableFuture.completedFuture(null);
    }
    String key = nextKey();
    String value = "live write " + key;
    URI node = nodes.get(chain % nodes.size());
    HttpRequest request = HttpRequest.newBuilder(uri(node, key)).timeout(REQUEST_TIMEOUT).PUT(HttpRequest.BodyPublishers.ofString(value)).build();
    return http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).handle((response, error) -> {
      if (error == null && response.statusCode() == 200) {
        acknowledged.put(key, value);
      } else {
        refused.incrementAndGet();
      }
      return null;
    }).thenCompose(ignored -> next(chain));
  }

  /** The next key whose vShard is the migrating one. */
  private String nextKey() {
    while (true) {
      String key = "live-" + sequence.getAndIncrement();
      if (KeyPlacement.vshardOf(key, vshards) == vshard) {
        return key;
      }
    }
  }

  private String read(URI via, String key) {
    HttpRequest request = HttpRequest.newBuilder(uri(via, key)).timeout(REQUEST_TIMEOUT).GET().build();
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200 ? response.body() : "HTTP " + response.statusCode();
    } catch (java.io.IOException e) {
      return "unreadable: " + e.getMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }

  private static URI uri(URI node, String key) {
    return node.resolve("/v1/kv/" + URLEncoder.encode(key, StandardCharsets.UTF_8));
  }
}
