package dev.vshard.node.http;

/**
 * Keeps the JDK HttpClient's pooled connections shorter-lived than Jetty's idle timeout (30 s).
 *
 * <p>The JDK client keeps an idle connection for 1,200 s by default, so it may reuse a connection the
 * server has just closed and fail with "header parser received no bytes". The property is read once,
 * when the client's connection pool class loads, so entry points call this before any client exists.
 */
public final class HttpKeepAlive {
  static final String PROPERTY = "jdk.httpclient.keepalive.timeout";
  static final String SECONDS = "20";

  private HttpKeepAlive() {
  }

  public static void configure() {
    if (System.getProperty(PROPERTY) == null) {
      System.setProperty(PROPERTY, SECONDS);
    }
  }
}
