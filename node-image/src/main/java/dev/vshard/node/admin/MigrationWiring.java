package dev.vshard.node.admin;

import dev.vshard.node.ghost.GhostRouting;
import dev.vshard.node.ghost.GhostStore;
import dev.vshard.node.ghost.GhostSweeper;
import dev.vshard.node.http.AdminForwarder;
import dev.vshard.node.http.AdminRoutes;
import dev.vshard.node.kv.GhostResolver;
import dev.vshard.node.kv.ReplicaStats;
import dev.vshard.node.kv.WriteGate;
import dev.vshard.node.migration.MigrationRecords;
import dev.vshard.node.migration.MigrationServices;
import dev.vshard.node.migration.PauseEstimator;
import dev.vshard.node.migration.PeerAdminClient;
import dev.vshard.node.migration.VShardGroups;
import dev.vshard.node.routing.GroupIds;
import dev.vshard.node.routing.MetadataService;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.apache.ratis.server.RaftServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything the migration side adds to a node, built from the core's seams: the write gate and ghost
 * resolver for the data path, the admin routes, the ghost sweeper, and the resumption of cut-overs this
 * node was driving when it stopped. Created in the {@code // migration wiring} block of {@code Node}.
 */
public final class MigrationWiring implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MigrationWiring.class);
  private static final long RESUME_PERIOD_MS = 2_000;

  /** The core's parts the migration side uses. */
  public record Seams(String nodeId, RaftServer raftServer, GroupIds groupIds, MetadataService metadata,
                      AdminForwarder forwarder, Path dataDir, Duration ghostTtl, String adminToken,
                      IntFunction<Optional<ReplicaStats>> replicaStats) {
  }

  private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2, daemon("migration-poll"));
  private final ExecutorService jobs = Executors.newCachedThreadPool(daemon("cutover-job"));
  private final MigrationServices migration;
  private final GhostStore ghosts;
  private final GhostSweeper sweeper;
  private final GhostRouting ghostRouting;
  private final MigrationAdminRoutes routes;

  public MigrationWiring(Seams seams) throws IOException {
    VShardGroups groups = new VShardGroups(seams.raftServer(), seams.groupIds(), seams.metadata());
    PauseEstimator estimator = new PauseEstimator();
    MigrationRecords records = new MigrationRecords(seams.metadata(), estimator);
    PeerAdminClient peers = new PeerAdminClient(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build(),
        groups::address, seams.adminToken());
    this.migration = new MigrationServices(seams.nodeId(), groups, records, estimator, peers, scheduler, jobs);
    this.ghosts = GhostStore.open(seams.dataDir(), Clock.systemUTC());
    this.sweeper = new GhostSweeper(ghosts, seams.ghostTtl(), Clock.systemUTC());
    this.ghostRouting = new GhostRouting(ghosts, seams.metadata(), seams.nodeId());
    this.routes = new MigrationAdminRoutes(new LeaderRouting(seams.forwarder(), seams.metadata(), seams.nodeId()),
        groups, records, migration.learners(), migration.cutovers(), migration.orphans(), ghosts, migration.retirement(),
        seams.replicaStats());
  }

  public WriteGate writeGate() {
    return migration.writes();
  }

  public GhostResolver ghostResolver() {
    return ghostRouting;
  }

  public AdminRoutes adminRoutes() {
    return routes;
  }

  public GhostStore ghosts() {
    return ghosts;
  }

  /**
   * Starts the ghost sweeper and the periodic check that resumes this node's unfinished cut-overs and removes
   * the replicas of vShards that left this node (a stub each).
   */
  public void start() {
    sweeper.start();
    scheduler.scheduleWithFixedDelay(this::resumeOwnJobs, 0, RESUME_PERIOD_MS, TimeUnit.MILLISECONDS);
  }

  private void resumeOwnJobs() {
    try {
      if (migration.records().table().initialized()) {
        migration.cutovers().resumeOwnJobs();
        ghosts.list().forEach(stub -> migration.retirement().retire(stub.vshard(), stub.epoch()));
      }
    } catch (RuntimeException e) {
      LOG.warn("could not check for unfinished cut-overs; next check in {} ms", RESUME_PERIOD_MS, e);
    }
  }

  @Override
  public void close() {
    sweeper.close();
    scheduler.shutdownNow();
    jobs.shutdownNow();
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }
}
