package dev.vshard.testsupport.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * One kubectl watch served as a streaming HTTP response (one JSON watch event per line), fed by a
 * WebSocket watch on the mock server.
 *
 * <p>The mock's WebSocket watch starts "now" and ignores {@code resourceVersion}; client-go lists at
 * version N and then watches from N. To not lose a change made between the two, the stream first
 * sends every matching object newer than N (read after the WebSocket is open), and drops queued
 * events the catch-up already covered. A watch of one named object ({@code kubectl wait}, and
 * {@code kubectl delete} waiting for a finalizer) that finds it gone after N gets its DELETED: kubectl
 * listed it, so it was deleted in between (a finalizer removed right after kubectl's DELETE left
 * {@code kubectl delete} waiting until its timeout).
 */
final class HttpWatchStream {

  private static final String END = "";
  private static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(5);
  private static final Pattern NAMESPACED = Pattern.compile("/namespaces/([^/]+)/");

  private final ObjectMapper mapper = new ObjectMapper();
  private final HttpClient http;
  private final URI target;
  private final Map<String, String> query;
  private final BlockingQueue<String> events = new LinkedBlockingQueue<>();
  /** object key -> highest resourceVersion already sent */
  private final Map<String, Long> sentVersions = new HashMap<>();
  /** the resourceVersion kubectl listed at (0 = it wants everything) */
  private final long listedAt;

  HttpWatchStream(HttpClient http, URI target) {
    this.http = http;
    this.target = target;
    this.query = parseQuery(target.getRawQuery());
    String version = query.getOrDefault("resourceVersion", "0");
    this.listedAt = version.isEmpty() ? 0 : parseVersion(version);
  }

  void streamTo(HttpExchange exchange) throws IOException {
    WebSocket socket = openWebSocket();
    try {
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, 0);
      try (OutputStream out = exchange.getResponseBody()) {
        for (ObjectNode missed : catchUp()) {
          write(out, missed);
        }
        pump(out);
      }
    } finally {
      socket.abort();
    }
  }

  private void pump(OutputStream out) throws IOException {
    Instant deadline = Instant.now().plus(timeout());
    try {
      while (Instant.now().isBefore(deadline)) {
        String event = events.poll(1, TimeUnit.SECONDS);
        if (END.equals(event)) {
          return;
        }
        if (event != null) {
          JsonNode parsed = mapper.readTree(event);
          if (shouldForward(parsed) && matchesFieldSelector(parsed.path("object"))) {
            write(out, parsed);
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private WebSocket openWebSocket() throws IOException {
    URI ws = URI.create(target.toString().replaceFirst("^http", "ws"));
    try {
      return http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10)).buildAsync(ws, new Collector()).join();
    } catch (CompletionException e) {
      throw new IOException("cannot open a watch on the mock API server: " + e.getCause(), e);
    }
  }

  /** Objects that changed after the resourceVersion kubectl listed at, as MODIFIED events. */
  private Iterable<ObjectNode> catchUp() throws IOException {
    Map<String, String> listQuery = new LinkedHashMap<>(query);
    listQuery.keySet().removeAll(java.util.List.of("watch", "resourceVersion", "timeoutSeconds", "allowWatchBookmarks",
        "resourceVersionMatch", "sendInitialEvents"));
    String queryString = listQuery.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining("&"));
    URI list = URI.create(target.getScheme() + "://" + target.getRawAuthority() + target.getRawPath() + (queryString.isEmpty() ? "" : "?" + queryString));
    HttpResponse<String> response;
    try {
      response = http.send(HttpRequest.newBuilder(list).timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while listing for a watch", e);
    }
    java.util.List<ObjectNode> missed = new java.util.ArrayList<>();
    if (response.statusCode() != 200) {
      return missed;
    }
    JsonNode listed = mapper.readTree(response.body());
    for (JsonNode item : listed.path("items")) {
      long version = parseVersion(item.path("metadata").path("resourceVersion").asText());
      if (version > listedAt && isNew(item)) {
        missed.add(event("MODIFIED", item));
      }
    }
    if (listedAt > 0 && listed.path("items").isEmpty()) {
      watchedName().ifPresent(name -> missed.add(event("DELETED", deletedInTheGap(listed, name))));
    }
    return missed;
  }

  private Optional<String> watchedName() {
    String selector = query.get("fieldSelector");
    return selector == null ? Optional.empty() : FieldSelector.parse(selector).name();
  }

  /** What client-go needs of a deleted object to drop it: its kind, name, namespace and a version. */
  private ObjectNode deletedInTheGap(JsonNode list, String name) {
    ObjectNode object = mapper.createObjectNode()
        .put("apiVersion", list.path("apiVersion").asText())
        .put("kind", list.path("kind").asText().replaceFirst("List$", ""));
    ObjectNode metadata = object.putObject("metadata").put("name", name)
        .put("resourceVersion", list.path("metadata").path("resourceVersion").asText(String.valueOf(listedAt)));
    Matcher namespace = NAMESPACED.matcher(target.getRawPath());
    if (namespace.find()) {
      metadata.put("namespace", namespace.group(1));
    }
    return object;
  }

  private ObjectNode event(String type, JsonNode object) {
    ObjectNode event = mapper.createObjectNode().put("type", type);
    event.set("object", object);
    return event;
  }

  /**
   * DELETED always goes out (the mock sends it with the object's last resourceVersion, which kubectl
   * may already have). ADDED/MODIFIED only when newer than what kubectl listed and not sent yet: the
   * mock opens every watch by sending all current objects as ADDED, which the client already has.
   */
  private boolean shouldForward(JsonNode event) {
    if ("DELETED".equals(event.path("type").asText())) {
      return true;
    }
    JsonNode object = event.path("object");
    return parseVersion(object.path("metadata").path("resourceVersion").asText()) > listedAt && isNew(object);
  }

  /** Remembers and answers whether this object version was not sent yet. */
  private boolean isNew(JsonNode object) {
    JsonNode metadata = object.path("metadata");
    String key = metadata.path("namespace").asText() + "/" + metadata.path("name").asText();
    long version = parseVersion(metadata.path("resourceVersion").asText());
    Long sent = sentVersions.get(key);
    if (sent != null && version <= sent) {
      return false;
    }
    sentVersions.put(key, version);
    return true;
  }

  private boolean matchesFieldSelector(JsonNode object) {
    String selector = query.get("fieldSelector");
    return selector == null || FieldSelector.parse(selector).matches(object);
  }

  private void write(OutputStream out, JsonNode event) throws IOException {
    out.write(mapper.writeValueAsBytes(event));
    out.write('\n');
    out.flush();
  }

  private Duration timeout() {
    String seconds = query.get("timeoutSeconds");
    return seconds == null ? DEFAULT_TIMEOUT : Duration.ofSeconds(Long.parseLong(seconds));
  }

  private static long parseVersion(String version) {
    try {
      return Long.parseLong(version);
    } catch (NumberFormatException notNumeric) {
      return Long.MAX_VALUE;
    }
  }

  private static Map<String, String> parseQuery(String rawQuery) {
    Map<String, String> parameters = new LinkedHashMap<>();
    if (rawQuery != null) {
      for (String pair : rawQuery.split("&")) {
        int equals = pair.indexOf('=');
        if (!pair.isEmpty()) {
          parameters.put(equals < 0 ? pair : pair.substring(0, equals), equals < 0 ? "" : pair.substring(equals + 1));
        }
      }
    }
    return parameters;
  }

  /** Collects WebSocket text frames into whole messages. */
  private final class Collector implements WebSocket.Listener {
    private final StringBuilder partial = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        events.add(partial.toString());
        partial.setLength(0);
      }
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      events.add(END);
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      events.add(END);
    }
  }
}
