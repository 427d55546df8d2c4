package dev.vshard.node;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vshard.node.http.AdminForwarder;
import dev.vshard.node.http.AdminRoutes;
import dev.vshard.node.http.AdminToken;
import dev.vshard.node.http.ClusterJoin;
import dev.vshard.node.http.DataApi;
import dev.vshard.node.http.HttpServers;
import dev.vshard.node.http.ForwardingHttpClient;
import dev.vshard.node.http.HttpSnapshotSource;
import dev.vshard.node.http.NodeRegistrationRoutes;
import dev.vshard.node.http.SnapshotRoutes;
import dev.vshard.node.kv.KvService;
import dev.vshard.node.kv.KvStateMachine;
import dev.vshard.node.kv.ReplicaStats;
import dev.vshard.node.raft.ClusterBootstrap;
import dev.vshard.node.raft.MetadataFollowers;
import dev.vshard.node.raft.MissingReplicas;
import dev.vshard.node.raft.NodeDirectory;
import dev.vshard.node.raft.RaftNode;
import dev.vshard.node.raft.Retrying;
import dev.vshard.node.raft.SnapshotPolicy;
import dev.vshard.node.raft.SnapshotWriter;
import dev.vshard.node.routing.MetadataCommand;
import dev.vshard.node.routing.MetadataStateMachine;
import dev.vshard.node.routing.NodeAddress;
import dev.vshard.node.routing.RaftMetadataService;
import dev.vshard.node.routing.RoutingTable;
import io.javalin.Javalin;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.statemachine.StateMachine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node process: builds the services, wires them, starts them in order (Ratis, then HTTP, then
 * bootstrap or join) and closes them in reverse. Holds no logic of its own beyond the wiring.
 */
public final class Node implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Node.class);
  private static final Duration LEADER_HINT_RETRY = Duration.ofMillis(500);

  private final NodeConfig config;
  private final ObjectMapper json = new ObjectMapper().findAndRegisterModules();
  private final PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(3)).build();
  private final java.util.concurrent.ScheduledExecutorService scheduler = java.util.concurrent.Executors.newScheduledThreadPool(1, r -> {
    Thread t = new Thread(r, "vshard-scheduler");
    t.setDaemon(true);
    return t;
  });
  private final AdminToken adminToken;
  /** Closed after the Raft server: its replicas wait for a snapshot being written when they stop. */
  private final SnapshotWriter snapshotWriter = new SnapshotWriter();
  private final RaftMetadataService metadata;
  private final RaftNode raft;
  private final KvService kv;
  private final AdminForwarder adminForwarder;
  private final MetadataFollowers followers;
  private final Javalin dataServer;
  private final Javalin adminServer;
  private final List<AdminRoutes> adminRoutes = new ArrayList<>();
  /** Closed first, in reverse order of registration (components added by the migration wiring). */
  private final List<AutoCloseable> closeables = new ArrayList<>();
  private volatile boolean closed;
  private volatile ClusterEntry entry;

  public Node(NodeConfig config) throws IOException {
    this.config = config;
    Files.createDirectories(config.dataDir());
    this.adminToken = AdminToken.fromFile(config.adminTokenFile());
    NodeDirectory directory = this::addressOf;
    HttpSnapshotSource snapshots = new HttpSnapshotSource(directory, adminToken);
    closeables.add(snapshots);
    this.metadata = new RaftMetadataService(config.clusterId(), json, message -> raft().send(raft().metadataGroup(), message),
        message -> raft().sendReadOnly(raft().metadataGroup(), message));
    this.raft = new RaftNode(config, directory, new RaftNode.StateMachines() {
      @Override
      public StateMachine metadata() {
        return new MetadataStateMachine(config.clusterId(), json, snapshots, snapshotWriter, metadata::onApplied, metadata::onAppliedIndex);
      }

      @Override
      public StateMachine vshard(int v) {
        return new KvStateMachine(v, snapshots, snapshotWriter, SnapshotPolicy.DEFAULT, Node.this::onLeaderChanged);
      }
    });
    ForwardingHttpClient forwarding = new ForwardingHttpClient();
    closeables.add(forwarding);
    this.kv = new KvService(config.nodeId(), raft, metadata, forwarding.client(), json, scheduler, meters, config.writeBatchLimit());
    this.adminForwarder = new AdminForwarder(http, metadata, config.nodeId());
    this.followers = new MetadataFollowers(raft, metadata);
    this.dataServer = HttpServers.dataServer(json);
    this.adminServer = HttpServers.adminServer(json, adminToken);
    new DataApi(kv, metadata, this::notReadyReason, meters).register(dataServer);
    adminRoutes.add(new NodeRegistrationRoutes(followers, metadata, json));
    adminRoutes.add(new SnapshotRoutes(raft, config.installThrottleBytesPerSecond()));
    Gauge.builder("vshard_routing_epoch", metadata, m -> m.current().epoch())
        .description("epoch of this node's copy of the routing table").register(meters);
    MissingReplicas missing = new MissingReplicas(config.nodeId(), v -> raft.division(v).isPresent());
    Gauge.builder("vshard_replicas_missing", metadata, m -> missing.of(m.current()).size())
        .description("vShards the routing table places on this node that it hosts no replica of (a lost data dir);"
            + " migrate each away with this node as the source").register(meters);
    new io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics().bindTo(meters);
    new io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics().bindTo(meters);

    // migration wiring — the migration helper edits this block only. Available here: config, json, http,
    // adminToken, metadata (MetadataService), raft (RaftNode: server(), groupIds(), division(v), client(...)),
    // kv (useWriteGate / useGhostResolver), adminForwarder, meters, this::replicaStats;
    // register admin endpoints with adminRoutes.add(...), things to close with closeables.add(...).
    dev.vshard.node.admin.MigrationWiring migration = new dev.vshard.node.admin.MigrationWiring(
        new dev.vshard.node.admin.MigrationWiring.Seams(config.nodeId(), raft.server(), raft.groupIds(), metadata,
            adminForwarder, config.dataDir(), config.ghostTtl(), adminToken.value(), this::replicaStats));
    kv.useWriteGate(migration.writeGate());
    kv.useGhostResolver(migration.ghostResolver());
    adminRoutes.add(migration.adminRoutes());
    closeables.add(migration);
    migration.start();
    // end of migration wiring
  }

  private RaftNode raft() {
    return raft;
  }

  /** Starts Ratis (recovering groups from the data dir), then HTTP, then bootstrap or join in the background. */
  public Node start() throws IOException {
    raft.start();
    adminRoutes.forEach(routes -> routes.register(adminServer));
    dataServer.start(config.bindHost(), config.httpPort());
    adminServer.start(config.bindHost(), config.adminPort());
    MemberProbe members = new MemberProbe(http, config, json);
    entry = new ClusterEntry(config, raft, members, new ClusterJoin(config, http, adminToken, json),
        () -> new ClusterBootstrap(config, raft, metadata, followers, members::answers, () -> closed, scheduler).run(),
        () -> closed, scheduler);
    entry.run().whenComplete((x, failure) -> {
      if (failure != null && !closed) {
        LOG.error("could not bootstrap or join the cluster", failure);
      }
    });
    LOG.info("node {} serving data on {}:{}, admin on {}:{}, raft on {}:{}", config.nodeId(), config.bindHost(),
        config.httpPort(), config.bindHost(), config.adminPort(), config.bindHost(), config.raftPort());
    return this;
  }

  /**
   * Ready once the cluster is bootstrapped, this node is in the directory of its local routing table, and
   * every vShard replica it hosts knows its leader (after a restart, elections finish before traffic comes).
   */
  public boolean isReady() {
    return notReadyReason().isEmpty();
  }

  /** Why the node is not ready yet ({@code /readyz} says it), or empty when it is. */
  public Optional<String> notReadyReason() {
    Optional<String> entryReason = entry == null ? Optional.empty() : entry.notReadyReason();
    if (entryReason.isPresent()) {
      return entryReason;
    }
    RoutingTable table = metadata.current();
    if (!table.bootstrapped()) {
      return Optional.of("the cluster is not bootstrapped yet");
    }
    if (!table.nodes().containsKey(config.nodeId())) {
      return Optional.of("this node is not in the routing table's node directory yet");
    }
    for (int v = 0; v < table.vshards(); v++) {
      var info = raft.division(v).map(RaftServer.Division::getInfo);
      if (info.isPresent() && info.get().getLeaderId() == null) {
        return Optional.of("the replica of vShard " + v + " knows no leader (" + info.get().getCurrentRole()
            + " in term " + info.get().getCurrentTerm() + ")");
      }
    }
    return Optional.empty();
  }

  private Optional<NodeAddress> addressOf(String nodeId) {
    Optional<NodeAddress> known = metadata.current().node(nodeId);
    if (known.isPresent()) {
      return known;
    }
    return config.initialMember(nodeId).map(m -> new NodeAddress(m.host(), config.httpPort(), config.adminPort(), config.raftPort()));
  }

  /** A replica that became leader publishes itself as the vShard's leader hint (best effort). */
  private void onLeaderChanged(int v, String leader) {
    if (!leader.equals(config.nodeId()) || closed) {
      return;
    }
    // repeated while this node leads: a hint left pointing at a node that lost its data sends every forwarded
    // request there. Not skipped while this node's copy of the table is behind (a leader elected at bootstrap,
    // before its copy applied the plan): the hint then stayed empty for good, and a node outside the group
    // answered admin calls for it with 503 NotLeader until the next election
    Retrying.untilSuccess("record the leader hint of vShard " + v,
        () -> metadata.submit(new MetadataCommand.SetLeaderHint(v, leader)), LEADER_HINT_RETRY,
        () -> closed || !raft.localViewOfLeader(v).equals(Optional.of(config.nodeId())), scheduler)
        .whenComplete((table, failure) -> {
          if (failure != null) {
            LOG.debug("leader hint for vShard {} not recorded: {}", v, failure.toString());
          }
        });
  }

  public Optional<ReplicaStats> replicaStats(int v) {
    return raft.kvStateMachine(v).map(machine -> machine.stats(config.nodeId()));
  }

  public NodeConfig config() {
    return config;
  }

  public RaftNode raftNode() {
    return raft;
  }

  public RaftMetadataService metadata() {
    return metadata;
  }

  /** This node's metrics (what {@code /metrics} serves). */
  public MeterRegistry meters() {
    return meters;
  }

  public KvService kv() {
    return kv;
  }

  public AdminForwarder adminForwarder() {
    return adminForwarder;
  }

  public AdminToken adminToken() {
    return adminToken;
  }

  @Override
  public void close() {
    closed = true;
    stopQuietly("data HTTP server", dataServer::stop);
    stopQuietly("admin HTTP server", adminServer::stop);
    for (int i = closeables.size() - 1; i >= 0; i--) {
      stopQuietly("component " + closeables.get(i), closeables.get(i)::close);
    }
    stopQuietly("Raft server", raft::close);
    stopQuietly("snapshot writer", snapshotWriter::close);
    scheduler.shutdownNow();
    meters.close();
  }

  private static void stopQuietly(String what, AutoCloseable step) {
    try {
      step.close();
    } catch (Exception e) {
      LOG.warn("stopping {} failed: {}", what, e.toString());
    }
  }
}
