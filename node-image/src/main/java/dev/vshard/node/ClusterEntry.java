package dev.vshard.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vshard.node.http.ClusterJoin;
import dev.vshard.node.raft.RaftNode;
import dev.vshard.node.raft.Retrying;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
 * registers itself; so does an initial member whose data dir held no replica of the metadata group (its first
 * start, or a lost or replaced volume: a registration repeated at the first start changes nothing).
 *
 * <p>A node on an empty data dir must not take part with an empty log in a Raft group it was a voter of: having
 * forgotten its log and its vote, it can help elect a leader that lacks committed entries. So it comes back
 * hosting no replica; it follows the routing table again only where it was a listener of the metadata group
 * (registration re-hosts that replica), and a voter of the metadata group waits, not ready, and says why. Its
 * lost vShard replicas are replaced by migrating them away ({@code vshard_replicas_missing} counts them).
 */
final class ClusterEntry {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterEntry.class);
  private static final Duration RETRY = Duration.ofMillis(500);

  private final NodeConfig config;
  private final RaftNode raft;
  private final HttpClient http;
  private final ObjectMapper json;
  private final ClusterJoin join;
  private final Supplier<CompletableFuture<Void>> bootstrap;
  private final BooleanSupplier stopped;
  private final ScheduledExecutorService scheduler;
  private final boolean startedWithoutMetadata;
  /** Set once the running cluster was found while this node holds no replica of the metadata group. */
  private volatile boolean rejoinedEmpty;

  /** To be built after Ratis started and recovered the data dir's groups. */
  ClusterEntry(NodeConfig config, RaftNode raft, HttpClient http, ObjectMapper json, ClusterJoin join,
               Supplier<CompletableFuture<Void>> bootstrap, BooleanSupplier stopped, ScheduledExecutorService scheduler) {
    this.config = config;
    this.raft = raft;
    this.http = http;
    this.json = json;
    this.join = join;
    this.bootstrap = bootstrap;
    this.stopped = stopped;
    this.scheduler = scheduler;
    this.startedWithoutMetadata = raft.metadataDivision().isEmpty();
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
    if (!initiator) {
      return join.run(stopped, scheduler).thenRun(this::onJoined);
    }
    return retry("ask the other initial members whether the cluster exists", this::formedElsewhere)
        .thenCompose(formed -> formed ? join.run(stopped, scheduler).thenRun(this::onJoined) : bootstrap.get());
  }

  /**
   * Why this node cannot become ready by itself: it is a voter of the metadata group and came back on an empty
   * data dir to a running cluster. Empty otherwise.
   */
  Optional<String> notReadyReason() {
    if (rejoinedEmpty && raft.metadataDivision().isEmpty() && raft.metadataVotersAtBootstrap().contains(config.nodeId())) {
      return Optional.of("this node started on an empty data dir, and it is a voter of the metadata group of a"
          + " running cluster: rejoining that group with an empty log could lose committed routing entries, so it"
          + " waits; restore its volume, or see 'A node on an empty data dir' in docs/node-internals.md");
    }
    return Optional.empty();
  }

  private void onJoined() {
    rejoinedEmpty = true;
    if (raft.metadataVotersAtBootstrap().contains(config.nodeId()) && raft.metadataDivision().isEmpty()) {
      LOG.warn("node {} started on an empty data dir in a running cluster; as a voter of the metadata group it "
          + "stays not ready (see /readyz)", config.nodeId());
    } else {
      LOG.info("node {} registered with the running cluster; it hosts only the replicas it has "
          + "(vshard_replicas_missing counts those the routing table still places here)", config.nodeId());
    }
  }

  /** Completes once every other initial member answered: true when one of them says the cluster is bootstrapped. */
  private CompletableFuture<Boolean> formedElsewhere() {
    List<CompletableFuture<Boolean>> answers = config.initialMembers().stream()
        .filter(m -> !m.id().equals(config.nodeId()))
        .map(m -> http.sendAsync(HttpRequest.newBuilder(URI.create("http://" + m.host() + ":" + config.httpPort()
                + "/v1/routing")).timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.ofString())
            .thenApply(this::bootstrapped))
        .toList();
    return CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new))
        .thenApply(x -> answers.stream().anyMatch(CompletableFuture::join));
  }

  private boolean bootstrapped(HttpResponse<String> response) {
    if (response.statusCode() != 200) {
      throw new IllegalStateException("GET /v1/routing answered " + response.statusCode());
    }
    try {
      JsonNode table = json.readTree(response.body());
      return table.path("bootstrapped").asBoolean(false);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private <T> CompletableFuture<T> retry(String what, Supplier<CompletableFuture<T>> step) {
    return Retrying.untilSuccess(what, step, RETRY, stopped, scheduler);
  }
}
