package dev.vshard.local.run;

import dev.vshard.operator.OperatorRunner;
import dev.vshard.operator.OperatorSettings;
import dev.vshard.testsupport.kube.EmbeddedKubernetes;
import dev.vshard.testsupport.node.NodeClusterBuilder;
import dev.vshard.testsupport.node.NodeProcessCluster;
import dev.vshard.testsupport.pods.PodRegistrar;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Consumer;

/**
 * Everything a local run starts, started part by part and closed in reverse order — from the end of
 * the run or from the shutdown hook (Ctrl-C), whichever comes first, even in the middle of starting.
 */
public final class LocalStack implements AutoCloseable {

  private static final String CRD_RESOURCE = "/crds/vshardmigrations.vshard.dev-v1.yml";

  private final LocalSettings settings;
  private final Consumer<String> say;
  private final Deque<AutoCloseable> started = new ArrayDeque<>();
  private final Thread shutdownHook = new Thread(this::close, "vshard-local-shutdown");
  private boolean closed;
  /** completes when close() has finished: a second caller (hook vs. main thread) waits instead of racing ahead */
  private final java.util.concurrent.CompletableFuture<Void> closeDone = new java.util.concurrent.CompletableFuture<>();
  private EmbeddedKubernetes kubernetes;
  private NodeProcessCluster cluster;

  public LocalStack(LocalSettings settings, Consumer<String> say) {
    this.settings = settings;
    this.say = say;
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  public LocalStack startApi() {
    kubernetes = keep(EmbeddedKubernetes.start(settings.apiPort()));
    try (InputStream crd = LocalStack.class.getResourceAsStream(CRD_RESOURCE)) {
      if (crd == null) {
        throw new IllegalStateException("the jar has no " + CRD_RESOURCE + "; rebuild it with `mvn -B -DskipTests package`");
      }
      kubernetes.applyCrd(crd);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the bundled CRD", e);
    }
    say.accept("embedded Kubernetes API on " + kubernetes.kubectlUrl() + " with CRD vshardmigrations.vshard.dev");
    return this;
  }

  public LocalStack startNodes() {
    NodeClusterBuilder builder = NodeProcessCluster.builder().clusterId(settings.clusterId()).nodes(settings.nodes())
        .vshards(settings.vshards()).replicationFactor(settings.replicationFactor()).ports(settings.nodePorts());
    settings.workDir().ifPresent(builder::workDir);
    settings.nodeJar().ifPresent(builder::nodeJar);
    say.accept("starting " + settings.nodes() + " nodes (V=" + settings.vshards() + ", RF=" + settings.replicationFactor() + ")...");
    cluster = keep(builder.start());
    PodRegistrar.register(cluster, client(), LocalSettings.NAMESPACE);
    cluster.awaitReady();
    cluster.nodes().forEach(node -> say.accept("  pod " + node.id() + " ready at " + node.host() + " (pid " + node.pid().orElse(-1) + ")"));
    return this;
  }

  public LocalStack startOperator() {
    // in-process settings: no leader election, no HTTP port; the runner patches status without server-side apply
    keep(OperatorRunner.start(client(), OperatorSettings.inProcess()));
    say.accept("operator started (in-process)");
    return this;
  }

  public KubernetesClient client() {
    return kubernetes.client();
  }

  public EmbeddedKubernetes kubernetes() {
    return kubernetes;
  }

  public NodeProcessCluster cluster() {
    return cluster;
  }

  /** Writes a kubeconfig for kubectl and removes it again when the stack closes. */
  public Path writeKubeconfig(Path file) {
    Path written = kubernetes.writeKubeconfig(file);
    keep(() -> Files.deleteIfExists(written));
    return written;
  }

  private synchronized <T extends AutoCloseable> T keep(T part) {
    if (closed) {
      closeQuietly(part);
      throw new IllegalStateException("shutting down");
    }
    started.push(part);
    return part;
  }

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
      while (!started.isEmpty()) {
        closeQuietly(started.pop());
      }
    } finally {
      closeDone.complete(null);
    }
    if (Thread.currentThread() != shutdownHook) {
      try {
        Runtime.getRuntime().removeShutdownHook(shutdownHook);
      } catch (IllegalStateException alreadyShuttingDown) {
        // the hook is running or about to: it finds the stack closed
      }
    }
  }

  private static void closeQuietly(AutoCloseable part) {
    try {
      part.close();
    } catch (Exception e) {
      // keep closing the rest: one part failing to stop must not leave the others running
      System.err.println("warning: could not stop " + part + ": " + e);
    }
  }
}
