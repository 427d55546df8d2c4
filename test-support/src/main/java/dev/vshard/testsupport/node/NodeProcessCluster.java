package dev.vshard.testsupport.node;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * A vshard node cluster as local JVM processes, one per node, each on its own loopback address with
 * the ports a pod would have. Start with {@link #builder()}; {@link #close()} ends every process
 * (also on JVM shutdown) and deletes the work directory when it created it.
 */
public final class NodeProcessCluster implements AutoCloseable {

  private final NodeClusterSettings settings;
  private final boolean ownsWorkDir;
  private final ScheduledExecutorService scheduler;
  private final HttpClient http;
  private final NodeLauncher launcher;
  private final ReadinessProbe probe;
  private final List<NodeListener> listeners = new CopyOnWriteArrayList<>();
  private final List<NodeProcess> nodes = new CopyOnWriteArrayList<>();
  private final Thread shutdownHook = new Thread(this::close, "node-cluster-shutdown");
  private boolean closed;
  /** completes when close() has finished, so a concurrent second close (shutdown hook vs. caller) waits for it */
  private final java.util.concurrent.CompletableFuture<Void> closeDone = new java.util.concurrent.CompletableFuture<>();

  NodeProcessCluster(NodeClusterSettings settings, boolean ownsWorkDir) {
    this.settings = settings;
    this.ownsWorkDir = ownsWorkDir;
    this.scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "node-readiness-" + settings.clusterId());
      thread.setDaemon(true);
      return thread;
    });
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).executor(scheduler).build();
    this.launcher = new NodeLauncher(settings);
    this.probe = new ReadinessProbe(http, scheduler);
  }

  public static NodeClusterBuilder builder() {
    return new NodeClusterBuilder();
  }

  public NodeClusterSettings settings() {
    return settings;
  }

  public String clusterId() {
    return settings.clusterId();
  }

  /** The admin bearer token every node reads from {@link NodeClusterSettings#adminTokenFile()}. */
  public String adminToken() {
    return settings.adminToken();
  }

  /** Every node ever added, in ordinal order (removed ones included: check {@link NodeProcess#isAlive()}). */
  public List<NodeProcess> nodes() {
    return List.copyOf(nodes);
  }

  public NodeProcess node(int ordinal) {
    return nodes.get(ordinal);
  }

  public NodeProcess node(String id) {
    return nodes.stream().filter(node -> node.id().equals(id)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no node '" + id + "' in cluster " + clusterId()));
  }

  /**
   * Subscribes to every node's events; the listener first hears STARTED (and READY when ready) for the
   * nodes already running, so attaching late misses nothing.
   */
  public void addListener(NodeListener listener) {
    for (NodeProcess node : nodes) {
      if (node.isAlive()) {
        listener.on(NodeEvent.STARTED, node);
      }
    }
    listeners.add(listener);
    for (NodeProcess node : nodes) {
      node.isReadyNow().ifPresent(readyNode -> listener.on(NodeEvent.READY, readyNode));
    }
  }

  /**
   * Starts a node with the next ordinal that is not an initial member, so it joins the running
   * cluster (registers in the node directory and hosts nothing). Does not wait for ready.
   */
  public synchronized NodeProcess addJoiningNode() {
    NodeProcess node = newNode(nodes.size());
    node.launch();
    return node;
  }

  /** Waits until every live node answers {@code /readyz}. */
  public NodeProcessCluster awaitReady() {
    nodes.stream().filter(NodeProcess::isAlive).forEach(NodeProcess::awaitReady);
    return this;
  }

  private NodeProcess newNode(int ordinal) {
    NodeProcess node = new NodeProcess(settings, ordinal, launcher, probe, this::publish);
    nodes.add(node);
    return node;
  }

  private void publish(NodeEvent event, NodeProcess node) {
    listeners.forEach(listener -> listener.on(event, node));
  }

  synchronized void startInitialMembers() {
    writeAdminToken();
    Runtime.getRuntime().addShutdownHook(shutdownHook);
    for (int ordinal = 0; ordinal < settings.initialMembers(); ordinal++) {
      newNode(ordinal).launch();
    }
  }

  private void writeAdminToken() {
    try {
      Files.createDirectories(settings.workDir());
      Path file = settings.adminTokenFile();
      Files.writeString(file, settings.adminToken());
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the admin token under " + settings.workDir(), e);
    }
  }

  /** Kills every node (reporting REMOVED), stops the probes and deletes the work directory if this cluster created it. */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        closeDone.join();
        return;
      }
      closed = true;
    }
    try {
      closeOnce();
    } finally {
      closeDone.complete(null);
    }
  }

  private void closeOnce() {
    List<RuntimeException> failures = new ArrayList<>();
    for (NodeProcess node : nodes) {
      try {
        node.remove();
      } catch (RuntimeException e) {
        failures.add(e);
      }
    }
    scheduler.shutdownNow();
    if (ownsWorkDir) {
      Directories.deleteRecursively(settings.workDir());
    }
    if (Thread.currentThread() != shutdownHook) {
      try {
        Runtime.getRuntime().removeShutdownHook(shutdownHook);
      } catch (IllegalStateException shuttingDown) {
        // the JVM is already exiting; the hook runs this method anyway and finds it closed
      }
    }
    if (!failures.isEmpty()) {
      IllegalStateException failure = new IllegalStateException("closing cluster " + clusterId() + " failed for " + failures.size() + " node(s)");
      failures.forEach(failure::addSuppressed);
      throw failure;
    }
  }
}
