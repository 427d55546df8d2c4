package dev.vshard.node.migration;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Estimates how long a cut-over will hold writes, before it starts, from what this leader measured:
 * <pre>
 *   drain   = ceil(lag / ENTRIES_PER_APPEND) x commitLatency   (the target's remaining entries, in batches)
 *   commits = COMMITS_IN_PAUSE x commitLatency                 (two membership changes of joint + final
 *                                                               configuration each, the record of the point of
 *                                                               no return, routing change)
 *   leader  = leaderChanges x leaderChange                      (the optional transfer to the target, and the
 *                                                               bounce when the target is not RUNNING yet)
 * </pre>
 * {@code commitLatency} is a moving average of the single-entry commits this node's migration steps timed
 * themselves (metadata records, membership changes): the pause consists of exactly such commits while
 * writes are held. (The Ratis timer {@code clientWriteRequest} is no measure of that: under a pipelined
 * load it is dominated by queueing.) {@code leaderChange} is the last leadership change this node timed.
 * Both start from conservative defaults until measured.
 */
public final class PauseEstimator {
  static final long DEFAULT_COMMIT_LATENCY_MICROS = 10_000;
  static final long DEFAULT_LEADER_CHANGE_MICROS = 200_000;
  /** Entries the leader ships per AppendEntries when a follower lags (small KV entries, 1 MB appender buffer). */
  static final long ENTRIES_PER_APPEND = 256;
  /** Metadata and configuration commits inside the pause (membership 2 x 2, one progress record, routing). */
  static final long COMMITS_IN_PAUSE = 6;

  /** Weight of the newest sample in the commit-latency moving average. */
  private static final double SMOOTHING = 0.3;

  private final AtomicLong lastLeaderChangeMicros = new AtomicLong(DEFAULT_LEADER_CHANGE_MICROS);
  private final AtomicLong commitLatencyMicros = new AtomicLong(DEFAULT_COMMIT_LATENCY_MICROS);

  /** {@code leaderChanges}: how many leadership changes the cut-over will make while it holds writes. */
  public long estimateMicros(long targetLag, int leaderChanges) {
    return estimateMicros(commitLatencyMicros.get(), lastLeaderChangeMicros.get(), targetLag, leaderChanges);
  }

  /** Feeds back the duration of one commit a migration step waited for. */
  public void observedCommit(long micros) {
    commitLatencyMicros.updateAndGet(old -> Math.max(1, Math.round((1 - SMOOTHING) * old + SMOOTHING * micros)));
  }

  static long estimateMicros(long commitLatencyMicros, long leaderChangeMicros, long targetLag, int leaderChanges) {
    long batches = (Math.max(0, targetLag) + ENTRIES_PER_APPEND - 1) / ENTRIES_PER_APPEND;
    long drain = batches * commitLatencyMicros;
    long commits = COMMITS_IN_PAUSE * commitLatencyMicros;
    return drain + commits + leaderChanges * leaderChangeMicros;
  }

  /** Feeds back a leadership change this node timed, so the next estimate uses it. */
  public void observedLeaderChange(long micros) {
    lastLeaderChangeMicros.set(Math.max(1, micros));
  }
}
