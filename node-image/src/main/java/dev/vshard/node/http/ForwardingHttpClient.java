package dev.vshard.node.http;

import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The Jetty HttpClient that relays data requests to the node that serves them ({@code kv.DataForwarder}):
 * started here, stopped on close. No redirects, no compression (the answer is relayed as it came), pooled
 * connections dropped after 20 s idle, before the server's 30 s idle timeout closes them under our feet.
 */
public final class ForwardingHttpClient implements AutoCloseable {
  private static final long IDLE_TIMEOUT_MILLIS = 20_000;
  private static final long CONNECT_TIMEOUT_MILLIS = 3_000;
  private static final int MAX_QUEUED_PER_NODE = 16_384;

  private final HttpClient client = new HttpClient();

  public ForwardingHttpClient() {
    QueuedThreadPool threads = new QueuedThreadPool();
    threads.setName("vshard-forward");
    threads.setDaemon(true);
    client.setExecutor(threads);
    client.setFollowRedirects(false);
    client.setUserAgentField(null);
    client.setIdleTimeout(IDLE_TIMEOUT_MILLIS);
    client.setConnectTimeout(CONNECT_TIMEOUT_MILLIS);
    client.setMaxRequestsQueuedPerDestination(MAX_QUEUED_PER_NODE);
    client.getContentDecoderFactories().clear();
    try {
      client.start();
    } catch (Exception e) {
      throw new IllegalStateException("could not start the forwarding HTTP client", e);
    }
  }

  public HttpClient client() {
    return client;
  }

  @Override
  public void close() throws Exception {
    client.stop();
  }
}
