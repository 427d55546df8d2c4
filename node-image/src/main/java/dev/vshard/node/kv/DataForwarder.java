package dev.vshard.node.kv;

import dev.vshard.node.routing.NodeAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Sends a data request to another node's data port and relays its answer (JDK HttpClient: pooled,
 * kept-alive connections, fully asynchronous).
 */
final class DataForwarder {
  private static final String[] RELAYED_HEADERS = {DataRequest.EPOCH_HEADER, DataRequest.VSHARD_HEADER, DataRequest.FORWARDED_BY_HEADER};

  private final HttpClient http;
  private final String selfId;

  DataForwarder(HttpClient http, String selfId) {
    this.http = http;
    this.selfId = selfId;
  }

  CompletableFuture<DataReply> forward(NodeAddress to, DataRequest request, boolean throughGhost) {
    String path = "/v1/kv/" + URLEncoder.encode(request.key(), StandardCharsets.UTF_8).replace("+", "%20");
    HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://" + to.host() + ":" + to.httpPort() + path))
        .timeout(Duration.ofSeconds(30))
        .header(DataRequest.HOPS_HEADER, String.valueOf(request.hops() + 1));
    if (throughGhost || request.viaGhost()) {
      builder.header(DataRequest.FORWARDED_BY_HEADER, selfId);
    }
    switch (request.op()) {
      case PUT -> builder.PUT(HttpRequest.BodyPublishers.ofByteArray(request.value()));
      case DELETE -> builder.DELETE();
      default -> builder.GET();
    }
    return http.sendAsync(builder.build(), HttpResponse.BodyHandlers.ofByteArray()).thenApply(response -> {
      Map<String, String> headers = new HashMap<>();
      for (String name : RELAYED_HEADERS) {
        response.headers().firstValue(name).ifPresent(v -> headers.put(name, v));
      }
      if (throughGhost) {
        headers.put(DataRequest.FORWARDED_BY_HEADER, selfId);
      }
      String contentType = response.headers().firstValue("Content-Type").orElse("application/octet-stream");
      return new DataReply(response.statusCode(), contentType, response.body(), headers);
    });
  }
}
