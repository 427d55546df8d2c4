package dev.vshard.node;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.function.IntFunction;

/** Test client of the data API: async requests, with a window of outstanding requests for bulk loads. */
public final class DataClient {
  private final HttpClient http;

  public DataClient(HttpClient http) {
    this.http = http;
  }

  public CompletableFuture<HttpResponse<byte[]>> put(URI node, String key, byte[] value) {
    return http.sendAsync(request(node, key).PUT(HttpRequest.BodyPublishers.ofByteArray(value)).build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  public CompletableFuture<HttpResponse<byte[]>> get(URI node, String key) {
    return http.sendAsync(request(node, key).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  public CompletableFuture<HttpResponse<byte[]>> delete(URI node, String key) {
    return http.sendAsync(request(node, key).DELETE().build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private static HttpRequest.Builder request(URI node, String key) {
    return HttpRequest.newBuilder(node.resolve("/v1/kv/" + URLEncoder.encode(key, StandardCharsets.UTF_8)))
        .timeout(Duration.ofSeconds(60));
  }

  /**
   * Runs {@code count} requests with at most {@code window} outstanding; returns every response in order.
   * The caller asserts on them (failed requests are kept as failed futures, not dropped).
   */
  public static List<CompletableFuture<HttpResponse<byte[]>>> pipelined(int count, int window,
                                                                        IntFunction<CompletableFuture<HttpResponse<byte[]>>> request)
      throws InterruptedException {
    Semaphore permits = new Semaphore(window);
    List<CompletableFuture<HttpResponse<byte[]>>> all = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      permits.acquire();
      CompletableFuture<HttpResponse<byte[]>> f = request.apply(i);
      f.whenComplete((r, e) -> permits.release());
      all.add(f);
    }
    permits.acquire(window);
    permits.release(window);
    return all;
  }
}
