package dev.vshard.node.raft;

import dev.vshard.node.InitialMember;
import dev.vshard.node.NodeConfig;
import dev.vshard.node.routing.MetadataCommand;
import dev.vshard.node.routing.MetadataService;
import dev.vshard.node.routing.NodeAddress;
import dev.vshard.node.routing.RoutingTable;
import dev.vshard.node.routing.ShardRoute;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forms the cluster once, run by the initiator (ordinal 0): wait until every initial member answers; create
 * the metadata group on the first (up to) three members; commit the initial routing table (node directory,
 * vShard {@code v} on members {@code v, v+1, ..., v+RF-1} modulo N); make the other members follow the
 * metadata group as listeners; create every vShard group; mark the table bootstrapped. Every step is
 * idempotent and the committed table decides: an initiator restarted mid-way repeats the steps, and one
 * restarted after the bootstrap finished (table says so) does nothing — it never re-creates groups that a
 * migration has since moved.
 */
public final class ClusterBootstrap {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterBootstrap.class);
  private static final Duration RETRY = Duration.ofMillis(500);

  private final NodeConfig config;
  private final RaftNode raft;
  private final MetadataService metadata;
  private final MetadataFollowers followers;
  private final Function<InitialMember, CompletableFuture<Void>> probe;
  private final BooleanSupplier stopped;
  private final ScheduledExecutorService scheduler;

  /** @param probe completes normally when the member's process answers (its HTTP health endpoint) */
  public ClusterBootstrap(NodeConfig config, RaftNode raft, MetadataService metadata, MetadataFollowers followers,
                          Function<InitialMember, CompletableFuture<Void>> probe, BooleanSupplier stopped,
                          ScheduledExecutorService scheduler) {
    this.scheduler = scheduler;
    this.config = config;
    this.raft = raft;
    this.metadata = metadata;
    this.followers = followers;
    this.probe = probe;
    this.stopped = stopped;
  }

  public CompletableFuture<Void> run() {
    return retry("wait for all initial members", this::allMembersAnswer)
        .thenCompose(x -> retry("create the metadata group", this::createMetadataGroup))
        .thenCompose(x -> retry("commit the initial routing table", () -> metadata.submit(initialPlan())))
        .thenCompose(table -> table.bootstrapped() ? CompletableFuture.completedFuture(null) : finish(table))
        .whenComplete((x, failure) -> {
          if (failure == null) {
            LOG.info("cluster '{}' is bootstrapped: {} nodes, {} vShards, RF {}", config.clusterId(),
                config.initialMembers().size(), config.vshards(), config.replicationFactor());
          }
        });
  }

  private CompletableFuture<Void> finish(RoutingTable table) {
    return retry("make initial members follow the metadata group", this::addMetadataListeners)
        .thenCompose(x -> retry("create the vShard groups", () -> createVShardGroups(table)))
        .thenCompose(x -> retry("mark the cluster bootstrapped", () -> metadata.submit(new MetadataCommand.MarkBootstrapped())))
        .thenApply(t -> null);
  }

  private CompletableFuture<Void> allMembersAnswer() {
    return CompletableFuture.allOf(config.initialMembers().stream().map(probe).toArray(CompletableFuture[]::new));
  }

  private CompletableFuture<Void> createMetadataGroup() {
    List<String> voters = raft.metadataVotersAtBootstrap();
    var group = raft.group(raft.groupIds().metadata(), voters, List.of());
    return CompletableFuture.allOf(voters.stream().map(id -> raft.hostGroup(id, group)).toArray(CompletableFuture[]::new));
  }

  private CompletableFuture<Void> addMetadataListeners() {
    List<String> voters = raft.metadataVotersAtBootstrap();
    CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
    for (InitialMember member : config.initialMembers()) {
      if (!voters.contains(member.id())) {
        // one at a time: Ratis allows one configuration change per group at a time
        chain = chain.thenCompose(x -> followers.addFollower(member.id(), addressOf(member)));
      }
    }
    return chain;
  }

  private CompletableFuture<Void> createVShardGroups(RoutingTable table) {
    List<CompletableFuture<Void>> all = new ArrayList<>();
    for (ShardRoute route : table.shards()) {
      var group = raft.group(route.vshard(), route.voters(), route.listeners());
      route.voters().forEach(id -> all.add(raft.hostGroup(id, group)));
    }
    return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new));
  }

  /** The deterministic placement: metadata on the first three members, vShard v on members v..v+RF-1 (mod N). */
  MetadataCommand.InitializeCluster initialPlan() {
    List<InitialMember> members = config.initialMembers();
    Map<String, NodeAddress> nodes = new LinkedHashMap<>();
    members.forEach(m -> nodes.put(m.id(), addressOf(m)));
    List<ShardRoute> shards = new ArrayList<>();
    for (int v = 0; v < config.vshards(); v++) {
      List<String> voters = new ArrayList<>();
      for (int i = 0; i < config.replicationFactor(); i++) {
        voters.add(members.get((v + i) % members.size()).id());
      }
      shards.add(ShardRoute.initial(v, voters, 1));
    }
    return new MetadataCommand.InitializeCluster(config.clusterId(), config.vshards(), config.replicationFactor(), nodes, shards);
  }

  private NodeAddress addressOf(InitialMember member) {
    return new NodeAddress(member.host(), config.httpPort(), config.adminPort(), config.raftPort());
  }

  private <T> CompletableFuture<T> retry(String what, java.util.function.Supplier<CompletableFuture<T>> step) {
    return Retrying.untilSuccess(what, step, RETRY, stopped, scheduler);
  }
}
