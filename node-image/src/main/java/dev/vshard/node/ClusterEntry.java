package dev.vshard.node;

import dev.vshard.node.http.ClusterJoin;
import dev.vshard.node.raft.RaftNode;
import dev.vshard.node.raft.Retrying;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How this node enters the cluster when it starts. The initiator bootstraps it once; a node started later
 * registers itself; so does an initial member whose data dir held no replica of the metadata group while the
 * other members say the cluster exists (a lost or replaced volume; at a first start they say it does not, and
 * the initiator adds the member itself).
 *
 * <p>A node on an empty data dir must not take part with an empty log in a Raft group it was a voter of: having
 * forgotten its log and its vote, it can help elect a leader that lacks committed entries. So it comes back
 * hosting no replica; it follows the routing table again where it was a listener of the metadata group
 * (registration re-hosts that replica), and where it was a voter of that group, registration replaces it: it
 * leaves the group and joins again as a new, empty member that votes once it has caught up
 * ({@code MetadataVoterReplacement}). Its lost vShard replicas are replaced by migrating them away
 * ({@code vshard_replicas_missing} counts them).
 */
final class ClusterEntry {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterEntry.class);
  private static final Duration RETRY = Duration.ofMillis(500);

  private final NodeConfig config;
  private final RaftNode raft;
  private final MemberProbe members;
  private final ClusterJoin join;
  private final Supplier<CompletableFuture<Void>> bootstrap;
  private final BooleanSupplier stopped;
  private final ScheduledExecutorService scheduler;
  /**
   * Read when Ratis has just recovered the data dir's groups: what the node started with, not what it has now.
   * A replica with no members counts as none: hosted for a replacement that did not finish before a restart.
   */
  private final boolean startedWithoutMetadata;
  /** Set once the running cluster was found while this node held no replica of the metadata group. */
  private volatile boolean rejoiningEmpty;

  /** To be built after Ratis started and recovered the data dir's groups. */
  ClusterEntry(NodeConfig config, RaftNode raft, MemberProbe members, ClusterJoin join,
               Supplier<CompletableFuture<Void>> bootstrap, BooleanSupplier stopped, ScheduledExecutorService scheduler) {
    this.config = config;
    this.raft = raft;
    this.members = members;
    this.join = join;
    this.bootstrap = bootstrap;
    this.stopped = stopped;
    this.scheduler = scheduler;
    this.startedWithoutMetadata = raft.metadataDivision().map(d -> d.getRaftConf().getCurrentPeers().isEmpty()).orElse(true);
  }

  CompletableFuture<Void> run() {
    if (!config.isInitialMember()) {
      return join.run(stopped, scheduler);
    }
    boolean initiator = config.bootstrapInitiator().id().equals(config.nodeId());
    if (!startedWithoutMetadata) {
      // a restart on its data dir: the initiator repeats the idempotent bootstrap, a member recovered its groups
      return initiator ? bootstrap.get() : CompletableFuture.completedFuture(null);
    }
    return Retrying.untilSuccess("ask the other initial members whether the cluster exists", this::formedElsewhere,
            RETRY, stopped, scheduler)
        .thenCompose(formed -> formed ? rejoin()
            : initiator ? bootstrap.get() : CompletableFuture.completedFuture(null));
  }

  /**
   * Why this node is not ready yet although it runs: it is a voter of the metadata group back on an empty data
   * dir, and its replacement has not hosted its new replica yet. Empty otherwise.
   */
  Optional<String> notReadyReason() {
    if (rejoiningEmpty && metadataVoter() && raft.metadataDivision().isEmpty()) {
      return Optional.of("this node started on an empty data dir, and it is a voter of the metadata group of a"
          + " running cluster: it is being replaced (removed from that group, then added again with an empty replica"
          + " that votes once it has caught up); this needs the group's two other voters up");
    }
    return Optional.empty();
  }

  private boolean metadataVoter() {
    return raft.metadataVotersAtBootstrap().contains(config.nodeId());
  }

  private CompletableFuture<Void> rejoin() {
    rejoiningEmpty = true;
    LOG.warn("node {} started on an empty data dir in a running cluster; it registers again{}", config.nodeId(),
        metadataVoter() ? ", and its replica of the metadata group is replaced" : "");
    return join.run(stopped, scheduler).thenRun(() -> LOG.warn("node {} is back in the cluster; it hosts no vShard"
        + " replica (vshard_replicas_missing counts those the routing table still places here)", config.nodeId()));
  }

  /**
   * True as soon as one other initial member's routing table says the cluster is bootstrapped (a member that is
   * down does not hold that up); false once all of them answered that it is not; fails (to be asked again)
   * when some did not answer and none said yes.
   */
  private CompletableFuture<Boolean> formedElsewhere() {
    List<CompletableFuture<Boolean>> answers = config.initialMembers().stream()
        .filter(m -> !m.id().equals(config.nodeId()))
        .map(members::sawBootstrap)
        .toList();
    CompletableFuture<Boolean> formed = new CompletableFuture<>();
    answers.forEach(answer -> answer.thenAccept(yes -> {
      if (yes) {
        formed.complete(true);
      }
    }));
    CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).whenComplete((all, failure) -> {
      // every answer is in: decide from them, not from which callback ran first
      boolean yes = answers.stream().anyMatch(a -> !a.isCompletedExceptionally() && a.join());
      if (yes || failure == null) {
        formed.complete(yes);
      } else {
        formed.completeExceptionally(failure);
      }
    });
    return formed;
  }
}
