package dev.vshard.testsupport.node;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * One node of a {@link NodeProcessCluster}: a real JVM on its own loopback address, across its
 * incarnations (restarts keep the data directory; {@link #wipeAndReplace()} does not). Every change
 * is reported to the cluster's {@link NodeListener}s, in order, while this node's lock is held.
 */
public final class NodeProcess {

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(NodeProcess.class);
  private static final Duration STOP_GRACE = Duration.ofSeconds(30);

  private final NodeClusterSettings settings;
  private final int ordinal;
  private final String id;
  private final String host;
  private final NodeLauncher launcher;
  private final ReadinessProbe probe;
  private final NodeListener listener;

  private volatile Process process;
  private volatile int restartCount;
  private volatile CompletableFuture<Void> ready = new CompletableFuture<>();
  private int incarnation;
  private boolean removed;

  NodeProcess(NodeClusterSettings settings, int ordinal, NodeLauncher launcher, ReadinessProbe probe, NodeListener listener) {
    this.settings = settings;
    this.ordinal = ordinal;
    this.id = settings.nodeId(ordinal);
    this.host = settings.addresses().forOrdinal(ordinal);
    this.launcher = launcher;
    this.probe = probe;
    this.listener = listener;
  }

  /** First launch of a new node (fresh data directory). */
  synchronized void launch() {
    LoopbackAddresses.requireFree(host, settings.ports());
    incarnate("start", NodeEvent.STARTED);
  }

  /** Pod name and Raft peer id, e.g. {@code demo-node-2}. */
  public String id() {
    return id;
  }

  public int ordinal() {
    return ordinal;
  }

  /** The node's loopback address (its pod IP). */
  public String host() {
    return host;
  }

  public NodePorts ports() {
    return settings.ports();
  }

  public URI httpUri() {
    return URI.create("http://" + host + ":" + settings.ports().http());
  }

  public URI adminUri() {
    return URI.create("http://" + host + ":" + settings.ports().admin());
  }

  public Path dataDir() {
    return settings.dataDir(id);
  }

  public Path logFile() {
    return settings.logDir().resolve(id + ".log");
  }

  /** Times this node was launched again on the same data since it was (re)created. */
  public int restartCount() {
    return restartCount;
  }

  public boolean isAlive() {
    Process current = process;
    return current != null && current.isAlive();
  }

  /** The current JVM's pid; empty when the node is down. */
  public OptionalLong pid() {
    Process current = process;
    return current != null && current.isAlive() ? OptionalLong.of(current.pid()) : OptionalLong.empty();
  }

  /** This node when its current incarnation is running and has answered {@code /readyz}. */
  public java.util.Optional<NodeProcess> isReadyNow() {
    CompletableFuture<Void> current = ready;
    return isAlive() && current.isDone() && !current.isCompletedExceptionally() ? java.util.Optional.of(this) : java.util.Optional.empty();
  }

  /**
   * Blocks until the current incarnation answers {@code /readyz}.
   *
   * @throws NodeStartException when it exited first or did not get ready in the cluster's ready timeout
   */
  public NodeProcess awaitReady() {
    try {
      ready.join();
      return this;
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException runtime ? runtime : e;
    }
  }

  /** {@code kill -9} (the JVM and anything it started); the node stays down. Returns the exit code. */
  public synchronized int kill() {
    requireNotRemoved();
    if (!isAlive()) {
      return process == null ? -1 : process.exitValue();
    }
    int exitCode = ProcessTree.kill(process);
    incarnation++;
    listener.on(NodeEvent.KILLED, this);
    return exitCode;
  }

  /** SIGTERM and wait (SIGKILL after 30 s); the node stays down. Returns the exit code. */
  public synchronized int stop() {
    requireNotRemoved();
    if (!isAlive()) {
      return process == null ? -1 : process.exitValue();
    }
    int exitCode = ProcessTree.terminate(process, STOP_GRACE);
    incarnation++;
    listener.on(NodeEvent.STOPPED, this);
    return exitCode;
  }

  /** Launches a node that is down again on its data (a container restart: restart count + 1). Does not wait for ready. */
  public synchronized NodeProcess start() {
    requireNotRemoved();
    if (isAlive()) {
      throw new IllegalStateException("node " + id + " is running (pid " + process.pid() + "); kill() or stop() it first");
    }
    restartCount++;
    incarnate("restart #" + restartCount, NodeEvent.RESTARTED);
    return this;
  }

  /** Crash and come back: {@link #kill()} when running, then {@link #start()}. Does not wait for ready. */
  public synchronized NodeProcess restart() {
    if (isAlive()) {
      kill();
    }
    return start();
  }

  /** The pod is replaced by a new one with an empty volume: kill, delete the data, launch fresh (restart count 0). */
  public synchronized NodeProcess wipeAndReplace() {
    requireNotRemoved();
    if (isAlive()) {
      kill();
    }
    Directories.deleteRecursively(dataDir());
    restartCount = 0;
    incarnate("replace (data wiped)", NodeEvent.REPLACED);
    return this;
  }

  /** Kills the node (when running) and reports it gone for good. */
  public synchronized void remove() {
    if (removed) {
      return;
    }
    if (isAlive()) {
      ProcessTree.kill(process);
    }
    incarnation++;
    removed = true;
    listener.on(NodeEvent.REMOVED, this);
  }

  private void incarnate(String why, NodeEvent event) {
    process = launcher.launch(id, host, why);
    int current = ++incarnation;
    listener.on(event, this);
    ready = probe.awaitReady(id, httpUri().resolve("/readyz"), process, settings.readyTimeout(), logFile());
    ready.thenRun(() -> reportReady(current));
  }

  private synchronized void reportReady(int readyIncarnation) {
    if (readyIncarnation == incarnation && !removed) {
      try {
        listener.on(NodeEvent.READY, this);
      } catch (RuntimeException e) {
        // runs on a probe thread nobody joins: log it, or the failure would vanish
        LOG.error("a listener failed to handle READY of node {}", id, e);
      }
    }
  }

  private void requireNotRemoved() {
    if (removed) {
      throw new IllegalStateException("node " + id + " was removed");
    }
  }

  @Override
  public String toString() {
    return id + "@" + host + (isAlive() ? " pid " + process.pid() : " (down)");
  }
}
