package dev.vshard.testsupport.node;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/** Configures and starts a {@link NodeProcessCluster}. Defaults suit tests on a small (2-core) machine. */
public final class NodeClusterBuilder {

  /** Small heaps, serial GC and C1 only: several node JVMs share two cores with the tests. */
  public static final List<String> DEFAULT_JVM_OPTIONS =
      List.of("-Xmx256m", "-Xss512k", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:ActiveProcessorCount=2");

  private String clusterId = "c" + Integer.toString(ThreadLocalRandom.current().nextInt(36 * 36 * 36 * 36), 36);
  private int nodes = 3;
  private int vshards = 8;
  private int replicationFactor = 3;
  private NodePorts ports = NodePorts.DEFAULTS;
  private LoopbackAddresses addresses = LoopbackAddresses.randomBlock();
  private Path workDir;
  private Path nodeJar;
  private String classpath = System.getProperty("java.class.path");
  private List<String> jvmOptions = DEFAULT_JVM_OPTIONS;
  private final Map<String, String> extraEnv = new LinkedHashMap<>();
  private Duration readyTimeout = Duration.ofMinutes(3);
  private String adminToken = HexFormat.of().formatHex(new SecureRandom().generateSeed(16));

  NodeClusterBuilder() {}

  /** The instance name: node ids are {@code <clusterId>-node-<i>}. Default: random, so parallel clusters differ. */
  public NodeClusterBuilder clusterId(String clusterId) {
    if (!clusterId.matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?")) {
      throw new IllegalArgumentException("cluster id '" + clusterId + "' must be a DNS label (lower-case letters, digits, '-')");
    }
    this.clusterId = clusterId;
    return this;
  }

  /** Initial members (bootstrap together). Default 3. */
  public NodeClusterBuilder nodes(int nodes) {
    this.nodes = nodes;
    return this;
  }

  /** V. Default 8 (each vShard is a Raft group: keep it small on a laptop). */
  public NodeClusterBuilder vshards(int vshards) {
    this.vshards = vshards;
    return this;
  }

  /** RF. Default 3. */
  public NodeClusterBuilder replicationFactor(int replicationFactor) {
    this.replicationFactor = replicationFactor;
    return this;
  }

  /** The ports every node listens on, on its own address. Default 8080/8081/9870 (the pod's). */
  public NodeClusterBuilder ports(NodePorts ports) {
    this.ports = ports;
    return this;
  }

  /** Where node addresses come from. Default: a random 127.x.y.0/24 block. */
  public NodeClusterBuilder addresses(LoopbackAddresses addresses) {
    this.addresses = addresses;
    return this;
  }

  /** Logs, data and the token file go here and are kept. Default: a temp directory deleted on close. */
  public NodeClusterBuilder workDir(Path workDir) {
    this.workDir = workDir;
    return this;
  }

  /** Run {@code java -jar nodeJar} (e.g. node-image/target/vshard-node.jar) instead of the classpath. */
  public NodeClusterBuilder nodeJar(Path nodeJar) {
    if (!Files.isRegularFile(nodeJar)) {
      throw new IllegalArgumentException("node jar " + nodeJar + " does not exist; build it with `mvn -pl node-image -DskipTests package`");
    }
    this.nodeJar = nodeJar;
    return this;
  }

  /** Classpath holding {@code dev.vshard.node.NodeMain}. Default: this JVM's {@code java.class.path}. */
  public NodeClusterBuilder classpath(String classpath) {
    this.classpath = classpath;
    return this;
  }

  public NodeClusterBuilder jvmOptions(List<String> jvmOptions) {
    this.jvmOptions = List.copyOf(jvmOptions);
    return this;
  }

  /** An extra node setting, e.g. {@code env("VSHARD_INSTALL_THROTTLE", "65536")}. */
  public NodeClusterBuilder env(String name, String value) {
    extraEnv.put(name, value);
    return this;
  }

  /** How long a node may take to answer {@code /readyz} after launch. Default 3 minutes (slow, shared CI cores). */
  public NodeClusterBuilder readyTimeout(Duration readyTimeout) {
    this.readyTimeout = readyTimeout;
    return this;
  }

  public NodeClusterBuilder adminToken(String adminToken) {
    this.adminToken = adminToken;
    return this;
  }

  /** Starts the initial members; does not wait (see {@link NodeProcessCluster#awaitReady()}). */
  public NodeProcessCluster start() {
    if (replicationFactor > nodes) {
      throw new IllegalArgumentException("replication factor " + replicationFactor + " needs at least that many nodes, got " + nodes);
    }
    boolean ownsWorkDir = workDir == null;
    NodeClusterSettings settings = new NodeClusterSettings(clusterId, nodes, vshards, replicationFactor, ports, addresses,
        ownsWorkDir ? createTempDir() : workDir, Optional.ofNullable(nodeJar), classpath, jvmOptions, Map.copyOf(extraEnv),
        readyTimeout, adminToken);
    NodeProcessCluster cluster = new NodeProcessCluster(settings, ownsWorkDir);
    try {
      cluster.startInitialMembers();
    } catch (RuntimeException e) {
      cluster.close();
      throw e;
    }
    return cluster;
  }

  /** {@link #start()}, then wait until every initial member is ready (closing everything when one is not). */
  public NodeProcessCluster startAndAwaitReady() {
    NodeProcessCluster cluster = start();
    try {
      return cluster.awaitReady();
    } catch (RuntimeException e) {
      cluster.close();
      throw e;
    }
  }

  private Path createTempDir() {
    try {
      return Files.createTempDirectory("vshard-" + clusterId + "-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a temporary directory for cluster " + clusterId, e);
    }
  }
}
