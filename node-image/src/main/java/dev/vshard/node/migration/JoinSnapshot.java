package dev.vshard.node.migration;

import dev.vshard.node.raft.FileSnapshotStateMachine;
import dev.vshard.node.raft.RaftTuning;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.ratis.server.RaftServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Before a learner joins, the leader snapshots a long log (and purges it), so the learner downloads one file
 * and loads it instead of replaying the log entry by entry: 100 MB arrive in about a second that way, where
 * the replay took four. The snapshot is written beside the leader's applies, so writes go on meanwhile. A
 * short log is left alone: replaying it is quicker than writing a snapshot.
 * Best effort: when the snapshot or the purge does not happen, the learner replays the log, as before.
 */
final class JoinSnapshot {
  private static final Logger LOG = LoggerFactory.getLogger(JoinSnapshot.class);
  /** Log bytes since the latest snapshot above which a snapshot is taken first. */
  static final long WORTH_A_SNAPSHOT_BYTES = 4L << 20;
  private static final long SNAPSHOT_TIMEOUT_MS = TimeUnit.SECONDS.toMillis(60);
  private static final Duration PURGE_POLL = Duration.ofMillis(5);
  private static final Duration PURGE_TIMEOUT = Duration.ofSeconds(5);

  private final ConditionPoller poller;

  JoinSnapshot(ConditionPoller poller) {
    this.poller = poller;
  }

  /** Called at the leader, before the learner is added to the configuration. */
  void prepare(int v, RaftServer.Division leader) throws IOException, InterruptedException {
    if (!(leader.getStateMachine() instanceof FileSnapshotStateMachine machine)
        || machine.logBytesSinceSnapshot() < WORTH_A_SNAPSHOT_BYTES) {
      return;
    }
    long logBytes = machine.logBytesSinceSnapshot();
    long logStart = leader.getRaftLog().getStartIndex();
    long started = System.nanoTime();
    long index;
    try {
      index = machine.snapshotNow().get(SNAPSHOT_TIMEOUT_MS, TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      LOG.warn("vShard {}: no snapshot before the learner joins ({}); it will replay {} log bytes", v,
          e instanceof ExecutionException ? e.getCause().toString() : "none within " + SNAPSHOT_TIMEOUT_MS + " ms", logBytes);
      return;
    }
    // a purge keeps the log's last entries: a log of a few large ones is kept whole (and replayed)
    boolean purgeDue = leader.getRaftLog().getNextIndex() - 1 - RaftTuning.PURGE_PRESERVED_ENTRIES > logStart;
    boolean purged = purgeDue && poller.await(() -> leader.getRaftLog().getStartIndex() > logStart, PURGE_POLL, PURGE_TIMEOUT,
        new AtomicReference<>());
    LOG.info("vShard {}: snapshot at index {} before the learner joins, {} ms; log {} ({} bytes since the previous snapshot)",
        v, index, (System.nanoTime() - started) / 1_000_000,
        purged ? "purged up to " + leader.getRaftLog().getStartIndex() : "not purged yet", logBytes);
  }
}
