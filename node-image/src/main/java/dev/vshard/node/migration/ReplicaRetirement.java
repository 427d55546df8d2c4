package dev.vshard.node.migration;

import dev.vshard.node.routing.RoutingTable;
import dev.vshard.node.routing.ShardRoute;
import java.io.IOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node a vShard left removes its old replica and that replica's data, on its own, once it holds the ghost
 * stub. Ratis takes about a second to close a division (its log worker polls its queue once a second and the
 * close waits for that poll), so the cut-over does not wait for this: it installs the stub and completes, and
 * the stub (persisted before the install is answered) is the durable reminder. A removal that fails or is cut
 * short by a crash is made again by {@link #retire(int, long)} on the next periodic check.
 */
public final class ReplicaRetirement {
  private static final Logger LOG = LoggerFactory.getLogger(ReplicaRetirement.class);

  private final String self;
  private final VShardGroups groups;
  private final MigrationRecords records;
  private final Executor executor;
  private final Set<Integer> inProgress = ConcurrentHashMap.newKeySet();

  public ReplicaRetirement(String self, VShardGroups groups, MigrationRecords records, Executor executor) {
    this.self = self;
    this.groups = groups;
    this.records = records;
    this.executor = executor;
  }

  /**
   * Removes this node's replica of {@code v} in the background when it is stale: the vShard left this node at
   * routing epoch {@code leftAtEpoch} (the stub's), this node's routing table has caught up to that epoch, and
   * this node is neither a member nor the target of a migration of {@code v} again.
   */
  public void retire(int v, long leftAtEpoch) {
    // this node's own copy of the table first (it may trail: then the next check tries again), and only then,
    // in the background, the metadata leader's, so a vShard that came back costs no read every check
    if (!groups.hosts(v) || !stale(records.table(), v, leftAtEpoch) || !inProgress.add(v)) {
      return;
    }
    executor.execute(() -> {
      long started = System.nanoTime();
      try {
        if (stale(records.latestTable(), v, leftAtEpoch)) {
          groups.removeOwnReplica(v);
          LOG.info("vShard {}: this node's old replica and its data removed in {} ms", v,
              (System.nanoTime() - started) / 1_000_000);
        }
      } catch (IOException | RuntimeException e) {
        LOG.warn("vShard {}: could not remove this node's old replica yet; retried on the next check: {}", v,
            e.toString());
      } finally {
        inProgress.remove(v);
      }
    });
  }

  private boolean stale(RoutingTable table, int v, long leftAtEpoch) {
    return table.shard(v).map(route -> stale(route, self, leftAtEpoch)).orElse(false);
  }

  /** Whether {@code node}'s replica of {@code route}'s vShard, which left it at {@code leftAtEpoch}, is stale. */
  static boolean stale(ShardRoute route, String node, long leftAtEpoch) {
    return route.epoch() >= leftAtEpoch && !route.hasMember(node)
        && (route.hold() == null || !node.equals(route.hold().target()));
  }
}
