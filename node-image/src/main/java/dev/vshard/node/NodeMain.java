package dev.vshard.node;

import dev.vshard.node.http.HttpKeepAlive;

import java.util.concurrent.CountDownLatch;

/**
 * Entry point of {@code vshard-node.jar}: exit 2 on bad configuration, 1 when the node cannot start, 0 after
 * a clean shutdown on SIGTERM.
 */
public final class NodeMain {
  private static volatile int exitCode;

  private NodeMain() {
  }

  public static void main(String[] args) throws Exception {
    CommonPool.configure();
    HttpKeepAlive.configure();
    NodeConfig config;
    Node node;
    try {
      config = NodeConfigParser.parse(args, System.getenv());
      node = new Node(config);
    } catch (ConfigException e) {
      System.err.println("vshard-node: " + e.getMessage());
      System.exit(2);
      return;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      node.close();
      stopped.countDown();
      // SIGTERM would otherwise end the JVM with 143; a clean shutdown is a success (contract: exit 0)
      Runtime.getRuntime().halt(exitCode);
    }, "vshard-shutdown"));
    try {
      node.start();
    } catch (Exception e) {
      // e.g. a port already in use: fail fast instead of lingering half-started
      System.err.println("vshard-node: could not start: " + e);
      exitCode = 1;
      System.exit(1);
    }
    stopped.await();
  }
}
