package dev.vshard.operator;

import dev.vshard.operator.http.HealthServer;
import dev.vshard.operator.metrics.MigrationMetrics;
import dev.vshard.operator.migration.MigrationSettings;
import dev.vshard.operator.migration.MigrationStateMachine;
import dev.vshard.operator.node.ClusterDiscovery;
import dev.vshard.operator.node.HttpNodeAdmin;
import dev.vshard.operator.node.NodeAdminFactory;
import dev.vshard.operator.reconciler.ClusterObserver;
import dev.vshard.operator.reconciler.MigrationEvents;
import dev.vshard.operator.reconciler.MigrationQueue;
import dev.vshard.operator.reconciler.MigrationReconciler;
import dev.vshard.operator.reconciler.OrphanHoldReleaser;
import dev.vshard.operator.reconciler.TtlPolicy;
import dev.vshard.operator.spec.MigrationSpecValidator;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.List;

/**
 * Wires and starts the operator on a given KubernetesClient: used by {@link OperatorMain} and by
 * local mode, which starts it in-process against the mock API server. Status is patched with JSON
 * merge patches (no server-side apply, which the mock refuses); the client must not set a field manager.
 */
public final class OperatorRunner implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(OperatorRunner.class);

  private final Operator operator;
  private final HealthServer health;
  private final PrometheusMeterRegistry registry;
  private final OrphanHoldReleaser orphans;
  private final OperatorSettings settings;
  private volatile boolean started;
  private volatile boolean closing;

  private OperatorRunner(KubernetesClient client, OperatorSettings settings, NodeAdminFactory admins,
                         MigrationSettings migrationSettings, Clock clock) {
    this.settings = settings;
    this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    ClusterDiscovery discovery = new ClusterDiscovery(client);
    this.orphans = new OrphanHoldReleaser(client, discovery, admins);
    MigrationQueue queue = new MigrationQueue(settings.maxConcurrentPerCluster());
    ActiveMigrations active = new ActiveMigrations(client, settings.watchNamespaces());
    MigrationReconciler reconciler = new MigrationReconciler(
        new MigrationStateMachine(new MigrationSpecValidator(), migrationSettings),
        new ClusterObserver(discovery, admins), queue, new TtlPolicy(settings.defaultTtlSeconds()),
        new MigrationEvents(client), new MigrationMetrics(registry, active::count), clock);
    this.operator = new Operator(o -> {
      o.withKubernetesClient(client)
          .withCloseClientOnStop(false)
          .withUseSSAToPatchPrimaryResource(false)
          .withStopOnInformerErrorDuringStartup(true);
      if (settings.leaderElection()) {
        o.withLeaderElectionConfiguration(new LeaderElectionConfiguration("vshard-operator", settings.podNamespace(),
            LeaderElectionConfiguration.LEASE_DURATION_DEFAULT_VALUE, LeaderElectionConfiguration.RENEW_DEADLINE_DEFAULT_VALUE,
            LeaderElectionConfiguration.RETRY_PERIOD_DEFAULT_VALUE, settings.identity(),
            new LeaderCallbacks(this::releaseOrphans, this::onLeaseLost,
                leader -> LOG.info("vshard-operator leader is {}", leader)), false));
      }
    });
    operator.register(reconciler, o -> {
      if (!settings.watchNamespaces().isEmpty()) {
        o.settingNamespaces(settings.watchNamespaces());
      }
    });
    this.health = settings.port() < 0 ? null : startHealth(settings.port());
  }

  /** Starts an operator with the HTTP node admin client. */
  public static OperatorRunner start(KubernetesClient client, OperatorSettings settings) {
    return start(client, settings, HttpNodeAdmin.factory(), MigrationSettings.defaults(), Clock.systemUTC());
  }

  /** Starts an operator with explicit collaborators (tests). */
  public static OperatorRunner start(KubernetesClient client, OperatorSettings settings, NodeAdminFactory admins,
                                     MigrationSettings migrationSettings, Clock clock) {
    OperatorRunner runner = new OperatorRunner(client, settings, admins, migrationSettings, clock);
    if (!settings.leaderElection()) {
      runner.releaseOrphans();  // before any reconcile can take a new hold
    }
    runner.operator.start();
    runner.started = true;
    LOG.info("vshard operator started (namespaces {}, max {} per cluster, default TTL {}, leader election {})",
        settings.watchNamespaces().isEmpty() ? "all" : settings.watchNamespaces(), settings.maxConcurrentPerCluster(),
        settings.defaultTtlSeconds(), settings.leaderElection());
    return runner;
  }

  /** Prometheus text of the operator's metrics. */
  public String scrape() {
    return registry.scrape();
  }

  /** The health server's port, or -1 when it is off. */
  public int port() {
    return health == null ? -1 : health.port();
  }

  public boolean isStarted() {
    return started;
  }

  private void releaseOrphans() {
    List<OrphanHoldReleaser.Released> released = orphans.releaseOrphans(settings.watchNamespaces());
    if (!released.isEmpty()) {
      LOG.info("released {} orphaned hold(s): {}", released.size(), released);
    }
  }

  private HealthServer startHealth(int port) {
    try {
      return new HealthServer(port, () -> true, () -> started, registry::scrape);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on VSHARD_OPERATOR_PORT " + port, e);
    }
  }

  /**
   * JOSDK's own exit-on-stop-leading calls System.exit from inside our shutdown hook, which never returns
   * (the pod then waits out its grace period). So we exit only when the Lease is lost while running:
   * another replica may already be driving our migrations.
   */
  private void onLeaseLost() {
    if (closing) {
      LOG.info("released the vshard-operator Lease on shutdown");
      return;
    }
    LOG.error("lost the vshard-operator Lease while running; exiting so that only the new leader drives migrations");
    System.exit(1);
  }

  @Override
  public void close() {
    closing = true;
    started = false;
    operator.stop();
    if (health != null) {
      health.close();
    }
    registry.close();
  }
}
