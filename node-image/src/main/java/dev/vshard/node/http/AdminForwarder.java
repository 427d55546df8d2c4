package dev.vshard.node.http;

import dev.vshard.node.routing.MetadataService;
import dev.vshard.node.routing.NodeAddress;
import io.javalin.http.Context;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Relays an admin request unchanged (method, path, query, body, token) to another node's admin port and
 * copies the answer back. A relayed request carries {@value #FORWARDED_HEADER} so it is never relayed twice.
 */
public final class AdminForwarder {
  public static final String FORWARDED_HEADER = "X-VShard-Admin-Forwarded-By";

  private final HttpClient http;
  private final MetadataService metadata;
  private final String selfId;

  public AdminForwarder(HttpClient http, MetadataService metadata, String selfId) {
    this.http = http;
    this.metadata = metadata;
    this.selfId = selfId;
  }

  /** True when {@code ctx} was already relayed by another node (answer it here, whatever the answer). */
  public static boolean isForwarded(Context ctx) {
    return ctx.header(FORWARDED_HEADER) != null;
  }

  /** Relays {@code ctx} to {@code nodeId}; use as {@code ctx.future(() -> forwarder.forward(ctx, node))}. */
  public CompletableFuture<Void> forward(Context ctx, String nodeId) {
    NodeAddress address = metadata.current().node(nodeId).orElseThrow(
        () -> new ApiException(503, "Unavailable", "node '" + nodeId + "' is not in the node directory yet", null));
    String query = ctx.queryString() == null ? "" : "?" + ctx.queryString();
    URI uri = URI.create("http://" + address.host() + ":" + address.adminPort() + ctx.path() + query);
    HttpRequest.Builder request = HttpRequest.newBuilder(uri)
        .timeout(Duration.ofSeconds(30))
        .header(FORWARDED_HEADER, selfId)
        .method(ctx.method().name(), HttpRequest.BodyPublishers.ofByteArray(ctx.bodyAsBytes()));
    copyHeader(ctx, request, "Authorization");
    copyHeader(ctx, request, "Content-Type");
    return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofByteArray()).thenAccept(response -> {
      ctx.status(response.statusCode());
      response.headers().firstValue("Content-Type").ifPresent(ctx::contentType);
      ctx.result(response.body());
    });
  }

  private static void copyHeader(Context ctx, HttpRequest.Builder request, String name) {
    String value = ctx.header(name);
    if (value != null) {
      request.header(name, value);
    }
  }
}
