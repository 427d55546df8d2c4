package dev.vshard.node.migration;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vshard.node.routing.MetadataCommand;
import dev.vshard.node.routing.MetadataService;
import dev.vshard.node.routing.MigrationHold;
import dev.vshard.node.routing.RoutingTable;
import dev.vshard.node.routing.ShardRoute;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Where a migration's hold and step results live: the metadata group. Reads come from this node's copy of
 * the routing table, writes are commands committed through the group (so every node answers a repeated
 * call the same way, and a restarted node finds them).
 */
public final class MigrationRecords {
  private static final long COMMIT_TIMEOUT_SECONDS = 30;

  private final MetadataService metadata;
  private final PauseEstimator estimator;
  private final ObjectMapper json = new ObjectMapper();

  /** Every commit made here is timed and fed to {@code estimator}: it is the commit cost a cut-over pays. */
  public MigrationRecords(MetadataService metadata, PauseEstimator estimator) {
    this.metadata = metadata;
    this.estimator = estimator;
  }

  public RoutingTable table() {
    return metadata.current();
  }

  /** The routing table once this node's copy caught up with the metadata leader's. */
  public RoutingTable latestTable() {
    try {
      return metadata.latest().get(COMMIT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new MetadataUnavailableException("reading the latest routing table", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MetadataUnavailableException("reading the latest routing table", e);
    }
  }

  /** The routing entry of {@code v}; 404 {@code UnknownVShard} when there is no such vShard. */
  public ShardRoute route(int v) {
    return Validation.route(table(), v);
  }

  /** The migration {@code migrationId} on vShard {@code v}: the active hold, or the last finished one. */
  public Optional<MigrationHold> find(ShardRoute route, String migrationId) {
    return latest(route).filter(h -> h.migrationId().equals(migrationId));
  }

  /** The active hold of the vShard, or else the migration that finished last on it. */
  public Optional<MigrationHold> latest(ShardRoute route) {
    if (route.hold() != null) {
      return Optional.of(route.hold());
    }
    return Optional.ofNullable(route.lastMigration());
  }

  public Optional<LearnerResult> learner(MigrationHold hold) {
    return step(hold, LearnerResult.STEP, LearnerResult.class);
  }

  public Optional<CutOverResult> cutover(MigrationHold hold) {
    return step(hold, CutOverResult.STEP, CutOverResult.class);
  }

  public void acquire(int v, String migrationId, String source, String target) {
    commit(new MetadataCommand.AcquireHold(v, migrationId, source, target));
  }

  public void record(int v, String migrationId, String step, Object result) {
    commit(recordStep(v, migrationId, step, result));
  }

  public void release(int v, String migrationId) {
    commit(new MetadataCommand.ReleaseHold(v, migrationId));
  }

  /** Records a migration's last step result and releases its hold, in one commit. */
  public void recordAndRelease(int v, String migrationId, String step, Object result) {
    commit(new MetadataCommand.Batch(List.of(recordStep(v, migrationId, step, result), new MetadataCommand.ReleaseHold(v, migrationId))));
  }

  /** Commits vShard {@code v}'s membership to the routing table; returns the table as committed. */
  public RoutingTable updateMembership(int v, List<String> voters, List<String> listeners) {
    return commit(new MetadataCommand.UpdateShardMembership(v, voters, listeners));
  }

  /** Commits vShard {@code v}'s membership and then a step result that depends on it, in one commit. */
  public void updateMembershipAndRecord(int v, List<String> voters, List<String> listeners, String migrationId, String step,
                                        Object result) {
    commit(new MetadataCommand.Batch(List.of(new MetadataCommand.UpdateShardMembership(v, voters, listeners),
        recordStep(v, migrationId, step, result))));
  }

  private MetadataCommand.RecordStep recordStep(int v, String migrationId, String step, Object result) {
    return new MetadataCommand.RecordStep(v, migrationId, step, json.valueToTree(result));
  }

  private <T> Optional<T> step(MigrationHold hold, String name, Class<T> type) {
    JsonNode node = hold.steps().get(name);
    if (node == null || node.isNull()) {
      return Optional.empty();
    }
    try {
      return Optional.of(json.treeToValue(node, type));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("recorded step '" + name + "' of migration " + hold.migrationId()
          + " is unreadable: " + e.getOriginalMessage(), e);
    }
  }

  private RoutingTable commit(MetadataCommand command) {
    long started = System.nanoTime();
    try {
      RoutingTable committed = metadata.submit(command).get(COMMIT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      estimator.observedCommit((System.nanoTime() - started) / 1_000);
      return committed;
    } catch (ExecutionException | CompletionException e) {
      if (e.getCause() instanceof RuntimeException re) {
        throw re; // MetadataRejectedException keeps its contract code
      }
      throw new MetadataUnavailableException(command, e.getCause());
    } catch (TimeoutException e) {
      throw new MetadataUnavailableException(command, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MetadataUnavailableException(command, e);
    }
  }
}
