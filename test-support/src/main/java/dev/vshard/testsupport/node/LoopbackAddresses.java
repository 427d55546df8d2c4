package dev.vshard.testsupport.node;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Node addresses inside 127.0.0.0/8 (all of it reaches the loopback interface on Linux): a random
 * {@code 127.x.y.0/24} block per cluster, so clusters started in parallel never share an address, and
 * node ordinal {@code i} at {@code 127.x.y.(i+1)}.
 */
public final class LoopbackAddresses {

  private final String prefix;

  private LoopbackAddresses(String prefix) {
    this.prefix = prefix;
  }

  /** A random block that avoids 127.0.0.x (what other local tools use). */
  public static LoopbackAddresses randomBlock() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    return new LoopbackAddresses("127." + random.nextInt(1, 255) + "." + random.nextInt(0, 256) + ".");
  }

  /** A fixed block, e.g. {@code "127.0.0."}, for a person who wants predictable addresses. */
  public static LoopbackAddresses block(String prefix) {
    if (!prefix.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.")) {
      throw new IllegalArgumentException("loopback block '" + prefix + "' must look like 127.X.Y. (three octets and a dot)");
    }
    return new LoopbackAddresses(prefix);
  }

  public String forOrdinal(int ordinal) {
    if (ordinal < 0 || ordinal > 253) {
      throw new IllegalArgumentException("node ordinal " + ordinal + " is outside 0..253 (one /24 loopback block per cluster)");
    }
    return prefix + (ordinal + 1);
  }

  /**
   * Fails with a message that says what to do when one of the node's ports cannot be bound on its
   * address, e.g. because another program listens on {@code 0.0.0.0:8080}.
   */
  public static void requireFree(String host, NodePorts ports) {
    for (int port : new int[] {ports.http(), ports.admin(), ports.raft()}) {
      try (ServerSocket probe = new ServerSocket()) {
        probe.setReuseAddress(true);
        probe.bind(new InetSocketAddress(address(host), port));
      } catch (IOException e) {
        throw new PortInUseException(host, port, e);
      }
    }
  }

  private static InetAddress address(String host) {
    try {
      return InetAddress.getByName(host);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("node address '" + host + "' does not resolve", e);
    }
  }
}
