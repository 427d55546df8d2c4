package dev.vshard.testsupport.kube;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The port kubectl talks to. It forwards every request to the mock server unchanged, except watches:
 * the mock serves watches only over WebSocket (what the fabric8 client uses), while kubectl (client-go)
 * watches with a streaming HTTP GET. For those the gateway opens the WebSocket watch itself and
 * streams each event as one JSON line ({@link HttpWatchStream}).
 */
final class KubectlGateway implements AutoCloseable {

  /** Headers java.net.http sets itself and refuses to copy, plus hop-by-hop ones. */
  private static final Set<String> NOT_FORWARDED =
      Set.of("connection", "content-length", "expect", "host", "upgrade", "transfer-encoding", "keep-alive");

  private final HttpServer server;
  private final ExecutorService workers;
  private final HttpClient http;
  private final URI mock;
  private final java.util.concurrent.atomic.AtomicInteger openWatches = new java.util.concurrent.atomic.AtomicInteger();

  private KubectlGateway(HttpServer server, ExecutorService workers, HttpClient http, URI mock) {
    this.server = server;
    this.workers = workers;
    this.http = http;
    this.mock = mock;
  }

  static KubectlGateway start(int port, URI mock) {
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
    } catch (BindException e) {
      throw new IllegalStateException("port 127.0.0.1:" + port + " is in use; pick another API port (or 0 for any free port)", e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the kubectl port 127.0.0.1:" + port, e);
    }
    ExecutorService workers = Executors.newCachedThreadPool(runnable -> {
      Thread thread = new Thread(runnable, "kubectl-gateway");
      thread.setDaemon(true);
      return thread;
    });
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(workers)
        .connectTimeout(Duration.ofSeconds(10)).build();
    KubectlGateway gateway = new KubectlGateway(server, workers, http, mock);
    server.setExecutor(workers);
    server.createContext("/", gateway::handle);
    server.start();
    return gateway;
  }

  int port() {
    return server.getAddress().getPort();
  }

  /** Watches kubectl holds open right now (lets a test know {@code kubectl wait} is watching). */
  int openWatches() {
    return openWatches.get();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      URI target = mock.resolve(exchange.getRequestURI().getRawPath()
          + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery()));
      if ("GET".equals(exchange.getRequestMethod()) && isWatch(exchange.getRequestURI().getRawQuery())) {
        openWatches.incrementAndGet();
        try {
          new HttpWatchStream(http, target).streamTo(exchange);
        } finally {
          openWatches.decrementAndGet();
        }
      } else {
        forward(exchange, target);
      }
    }
  }

  private void forward(HttpExchange exchange, URI target) throws IOException {
    byte[] body;
    try (InputStream in = exchange.getRequestBody()) {
      body = in.readAllBytes();
    }
    HttpRequest.Builder request = HttpRequest.newBuilder(target).timeout(Duration.ofSeconds(60))
        .method(exchange.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
    exchange.getRequestHeaders().forEach((name, values) -> {
      if (!NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT))) {
        values.forEach(value -> request.header(name, value));
      }
    });
    HttpResponse<byte[]> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while forwarding to the mock API server", e);
    }
    response.headers().map().forEach((name, values) -> {
      if (!NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT)) && !name.startsWith(":")) {
        exchange.getResponseHeaders().put(name, List.copyOf(values));
      }
    });
    byte[] answer = response.body();
    exchange.sendResponseHeaders(response.statusCode(), answer.length == 0 ? -1 : answer.length);
    if (answer.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(answer);
      }
    }
  }

  private static boolean isWatch(String rawQuery) {
    if (rawQuery == null) {
      return false;
    }
    for (String pair : rawQuery.split("&")) {
      if (pair.equals("watch=true") || pair.equals("watch=1")) {
        return true;
      }
    }
    return false;
  }

  @Override
  public void close() {
    server.stop(0);
    workers.shutdownNow();
  }
}
