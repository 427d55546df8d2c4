package dev.vshard.node.migration;

import dev.vshard.node.raft.FileSnapshotStateMachine;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.ratis.server.RaftServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Before a learner joins, the leader starts a snapshot of a long log, so the learner downloads one file and
 * loads it instead of replaying the log entry by entry: 100 MB arrive in about a second that way, where the
 * replay took four. The join does not wait for the file: Ratis tells a staged replica to install a snapshot
 * whatever the log holds, and the leader sends the one being written as it grows
 * ({@code FileSnapshotStateMachine.snapshotBeingWritten}), so writing and downloading overlap. It is written
 * beside the leader's applies, so writes go on meanwhile. A short log is left alone: replaying it is quicker
 * than writing a snapshot.
 * Best effort: when the snapshot does not start, the learner gets the latest one and the log after it.
 */
final class JoinSnapshot {
  private static final Logger LOG = LoggerFactory.getLogger(JoinSnapshot.class);
  /** Log bytes since the latest snapshot above which a snapshot is taken first. */
  static final long WORTH_A_SNAPSHOT_BYTES = 4L << 20;
  /** For the snapshot to start: the state is frozen on the apply thread, behind the entries queued there. */
  private static final long START_TIMEOUT_MS = TimeUnit.SECONDS.toMillis(60);

  /** Called at the leader, before the learner is added to the configuration. */
  void prepare(int v, RaftServer.Division leader) throws InterruptedException {
    if (!(leader.getStateMachine() instanceof FileSnapshotStateMachine machine)
        || machine.logBytesSinceSnapshot() < WORTH_A_SNAPSHOT_BYTES) {
      return;
    }
    long logBytes = machine.logBytesSinceSnapshot();
    long started = System.nanoTime();
    long index;
    try {
      index = machine.snapshotBegun().get(START_TIMEOUT_MS, TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      LOG.warn("vShard {}: no snapshot before the learner joins ({}); it will replay up to {} log bytes", v,
          e instanceof ExecutionException ? e.getCause().toString() : "none within " + START_TIMEOUT_MS + " ms", logBytes);
      return;
    }
    LOG.info("vShard {}: snapshot at index {} begun in {} ms before the learner joins ({} log bytes since the previous one)",
        v, index, (System.nanoTime() - started) / 1_000_000, logBytes);
  }
}
