package dev.vshard.node;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * Several {@link Node}s in one JVM, each on its own loopback address {@code 127.a.b.(10+i)} with the same
 * three ports, like pods. One cluster per test class: {@code @BeforeAll start}, {@code @AfterAll close}.
 * Nodes 0..n-1 are the initial members; {@link #startJoiner()} adds a node that joins later.
 */
public final class LoopbackCluster implements AutoCloseable {
  public static final String TOKEN = "loopback-admin-token";

  private final Builder settings;
  private final Path root;
  private final String addressPrefix;
  private final int httpPort;
  private final int adminPort;
  private final int raftPort;
  private final List<NodeConfig> configs = new ArrayList<>();
  private final List<Node> nodes = new ArrayList<>();
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  private LoopbackCluster(Builder settings) throws IOException {
    this.settings = settings;
    this.root = Files.createTempDirectory("vshard-loopback");
    ThreadLocalRandom random = ThreadLocalRandom.current();
    this.addressPrefix = "127." + random.nextInt(1, 255) + "." + random.nextInt(1, 255) + ".";
    int[] ports = freePorts(3);
    this.httpPort = ports[0];
    this.adminPort = ports[1];
    this.raftPort = ports[2];
    Files.writeString(root.resolve("token"), TOKEN);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A started cluster whose nodes are all ready (bootstrapped and following the routing table). */
  public static LoopbackCluster start(int nodes, int replicationFactor, int vshards) {
    return builder().nodes(nodes).replicationFactor(replicationFactor).vshards(vshards).start();
  }

  /** Settings of a loopback cluster. */
  public static final class Builder {
    private int nodes = 4;
    private int replicationFactor = 3;
    private int vshards = 8;
    private long snapshotThreshold = 1000;
    private long installThrottle = 0;
    private String clusterId = "loop";
    private int writeBatchLimit = 256;
    private boolean commitIndexInLog;
    /** Small, as the snapshot threshold is: the few MB a test writes are purged (the node's default is 8 MB). */
    private long logSegmentBytes = 256 << 10;

    public Builder nodes(int n) {
      this.nodes = n;
      return this;
    }

    /** Ratis's log metadata: each new commit index logged as an entry (off by default, as in the node). */
    public Builder commitIndexInLog(boolean logged) {
      this.commitIndexInLog = logged;
      return this;
    }

    /**
     * Most writes per log entry; 1 turns group commit off. Tests that need the log to pass an entry-count snapshot
     * threshold set 1: with group commit their pipelined writes leave in a few dozen entries, not one each.
     */
    public Builder writeBatchLimit(int limit) {
      this.writeBatchLimit = limit;
      return this;
    }

    public Builder replicationFactor(int rf) {
      this.replicationFactor = rf;
      return this;
    }

    public Builder vshards(int v) {
      this.vshards = v;
      return this;
    }

    /** Log entries between automatic snapshots (lower = logs purged sooner, late joiners get an install). */
    public Builder snapshotThreshold(long entries) {
      this.snapshotThreshold = entries;
      return this;
    }

    /** {@code VSHARD_INSTALL_THROTTLE}: bytes/s a leader sends a snapshot at (0 = unthrottled). */
    public Builder installThrottle(long bytesPerSecond) {
      this.installThrottle = bytesPerSecond;
      return this;
    }

    public Builder clusterId(String id) {
      this.clusterId = id;
      return this;
    }

    public LoopbackCluster start() {
      try {
        LoopbackCluster cluster = new LoopbackCluster(this);
        for (int i = 0; i < nodes; i++) {
          cluster.configs.add(cluster.configFor(i));
        }
        for (int i = 0; i < nodes; i++) {
          cluster.nodes.add(new Node(cluster.configs.get(i)).start());
        }
        cluster.awaitAllReady();
        return cluster;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  private NodeConfig configFor(int i) {
    List<InitialMember> members = new ArrayList<>();
    for (int m = 0; m < settings.nodes; m++) {
      members.add(new InitialMember(nodeIdOf(m), hostOf(m)));
    }
    return new NodeConfig(nodeIdOf(i), settings.clusterId, hostOf(i), hostOf(i), httpPort, adminPort, raftPort,
        root.resolve(nodeIdOf(i)), members, settings.vshards, settings.replicationFactor, root.resolve("token"),
        Duration.ofMinutes(10), settings.installThrottle, settings.snapshotThreshold, settings.writeBatchLimit, settings.commitIndexInLog,
        settings.logSegmentBytes);
  }

  public String nodeIdOf(int i) {
    return settings.clusterId + "-node-" + i;
  }

  public String hostOf(int i) {
    return addressPrefix + (10 + i);
  }

  /** Starts a node that is not an initial member; it joins the running cluster. Returns its index. */
  public int startJoiner() {
    int index = configs.size();
    NodeConfig config = configFor(0).withNodeId(nodeIdOf(index), hostOf(index), root.resolve(nodeIdOf(index)));
    configs.add(config);
    try {
      nodes.add(new Node(config).start());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    awaitReady(index);
    return index;
  }

  /** Stops node {@code i} (its data stays). */
  public void stop(int i) {
    Node node = nodes.get(i);
    if (node != null) {
      node.close();
      nodes.set(i, null);
    }
  }

  /** Stops node {@code i} if running and starts it again on the same data dir. */
  public Node restart(int i) {
    stop(i);
    try {
      Node node = new Node(configs.get(i)).start();
      nodes.set(i, node);
      return node;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public void awaitAllReady() {
    for (int i = 0; i < nodes.size(); i++) {
      if (nodes.get(i) != null) {
        awaitReady(i);
      }
    }
  }

  public void awaitReady(int i) {
    await("node " + nodeIdOf(i) + " ready").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100))
        .until(() -> nodes.get(i) != null && nodes.get(i).isReady());
  }

  public Node node(int i) {
    return nodes.get(i);
  }

  public int size() {
    return nodes.size();
  }

  public NodeConfig config(int i) {
    return configs.get(i);
  }

  public URI dataUri(int i) {
    return URI.create("http://" + hostOf(i) + ":" + httpPort);
  }

  public URI adminUri(int i) {
    return URI.create("http://" + hostOf(i) + ":" + adminPort);
  }

  public String token() {
    return TOKEN;
  }

  public String authorization() {
    return "Bearer " + TOKEN;
  }

  public HttpClient http() {
    return http;
  }

  public Path root() {
    return root;
  }

  @Override
  public void close() {
    for (int i = nodes.size() - 1; i >= 0; i--) {
      stop(i);
    }
    try (Stream<Path> files = Files.walk(root)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Ports free on the wildcard address (so free on every loopback address too). */
  public static int[] freePorts(int count) throws IOException {
    int[] ports = new int[count];
    List<ServerSocket> held = new ArrayList<>();
    try {
      for (int i = 0; i < count; i++) {
        ServerSocket socket = new ServerSocket();
        socket.setReuseAddress(false);
        socket.bind(new InetSocketAddress(InetAddress.getByName("0.0.0.0"), 0));
        held.add(socket);
        ports[i] = socket.getLocalPort();
      }
    } finally {
      for (ServerSocket socket : held) {
        socket.close();
      }
    }
    return ports;
  }
}
