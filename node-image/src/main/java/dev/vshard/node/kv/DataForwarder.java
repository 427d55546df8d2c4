package dev.vshard.node.kv;

import dev.vshard.node.routing.NodeAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.api.Request;
import org.eclipse.jetty.client.api.Result;
import org.eclipse.jetty.client.util.BufferingResponseListener;
import org.eclipse.jetty.client.util.BytesRequestContent;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;

/**
 * Sends a data request to another node's data port and relays its answer, on Jetty's asynchronous
 * HttpClient (pooled, kept-alive connections). Not the JDK HttpClient: through a follower, whose every
 * write is forwarded, it took 13% of the CPU (async-profiler); Jetty's client is the same code as the server.
 */
final class DataForwarder {
  /** An answer carries at most a value the data port accepted, plus an error's JSON. */
  private static final int MAX_BODY_BYTES = DataRequest.MAX_VALUE_BYTES + 1024;
  private static final String[] RELAYED_HEADERS = {DataRequest.EPOCH_HEADER, DataRequest.VSHARD_HEADER, DataRequest.FORWARDED_BY_HEADER};

  private final HttpClient http;
  private final String selfId;

  /** @param http a started Jetty client; its owner stops it */
  DataForwarder(HttpClient http, String selfId) {
    this.http = http;
    this.selfId = selfId;
  }

  CompletableFuture<DataReply> forward(NodeAddress to, DataRequest request, boolean throughGhost) {
    String path = "/v1/kv/" + URLEncoder.encode(request.key(), StandardCharsets.UTF_8).replace("+", "%20");
    Request outgoing = http.newRequest("http://" + to.host() + ":" + to.httpPort() + path)
        .timeout(30, TimeUnit.SECONDS)
        .headers(h -> {
          h.put(DataRequest.HOPS_HEADER, String.valueOf(request.hops() + 1));
          if (throughGhost || request.viaGhost()) {
            h.put(DataRequest.FORWARDED_BY_HEADER, selfId);
          }
        });
    switch (request.op()) {
      case PUT -> outgoing.method(HttpMethod.PUT).body(new BytesRequestContent("application/octet-stream", request.value()));
      case DELETE -> outgoing.method(HttpMethod.DELETE);
      default -> outgoing.method(HttpMethod.GET);
    }
    CompletableFuture<DataReply> reply = new CompletableFuture<>();
    outgoing.send(new BufferingResponseListener(MAX_BODY_BYTES) {
      @Override
      public void onComplete(Result result) {
        if (result.isFailed()) {
          reply.completeExceptionally(result.getFailure());
          return;
        }
        HttpFields fields = result.getResponse().getHeaders();
        Map<String, String> headers = new HashMap<>();
        for (String name : RELAYED_HEADERS) {
          String value = fields.get(name);
          if (value != null) {
            headers.put(name, value);
          }
        }
        if (throughGhost) {
          headers.put(DataRequest.FORWARDED_BY_HEADER, selfId);
        }
        String contentType = fields.get(HttpHeader.CONTENT_TYPE);
        reply.complete(new DataReply(result.getResponse().getStatus(), contentType == null ? "application/octet-stream" : contentType,
            getContent(), headers));
      }
    });
    return reply;
  }
}
