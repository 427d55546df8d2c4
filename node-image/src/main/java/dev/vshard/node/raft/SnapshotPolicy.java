package dev.vshard.node.raft;

import java.util.random.RandomGenerator;

/**
 * When an automatic snapshot is worth its cost. Ratis triggers one every {@code snapshotThreshold} log entries,
 * but our snapshot rewrites the whole state: a one-group store of 281 MB wrote 281 MB every 6-7 s under load
 * (the 10,000-entry trigger at 1 KB values), and its p99 write latency rose to 1-1.5 s. So a state larger than
 * {@code stateFloorBytes} is snapshotted only once the log since the last snapshot is a share of it, drawn
 * anew after each snapshot between {@code logShare} and {@code logShare * (1 + spread)}: the bytes a snapshot
 * writes stay within 1 / {@code logShare} of the bytes logged, a restart replays at most that share of the
 * state, and the replicas of a group, which apply the same entries, do not all write at the same moment (with
 * one fixed share they did: three 327 MB snapshots at once, 2.2-3.5 s each, on two cores). Smaller states keep
 * the entry-count trigger alone (a snapshot of a few MB costs milliseconds, and late joiners then find the log
 * purged soon). The one Ratis takes when a replica stops is deferred the same way (a restart replays the log
 * instead); requested ones ({@link FileSnapshotStateMachine#snapshotNow}) never are.
 *
 * @param stateFloorBytes states up to this size are snapshotted at every trigger
 * @param logShare        above the floor: the least log since the last snapshot, as a share of the state, that
 *                        makes the next one due
 * @param spread          how much larger than {@code logShare} a replica's drawn share may be, as a fraction of it
 */
public record SnapshotPolicy(long stateFloorBytes, double logShare, double spread) {
  /** 16 MB (written in well under 100 ms here); between half and three quarters of the state's size in log. */
  public static final SnapshotPolicy DEFAULT = new SnapshotPolicy(16L << 20, 0.5, 0.5);

  public SnapshotPolicy {
    if (stateFloorBytes < 0) {
      throw new IllegalArgumentException("stateFloorBytes must be >= 0, was " + stateFloorBytes);
    }
    if (!(logShare > 0)) {
      throw new IllegalArgumentException("logShare must be > 0, was " + logShare);
    }
    if (!(spread >= 0)) {
      throw new IllegalArgumentException("spread must be >= 0, was " + spread);
    }
  }

  /** The share of the state in log that makes a replica's next snapshot due. */
  public double drawShare(RandomGenerator random) {
    return spread == 0 ? logShare : logShare * (1 + spread * random.nextDouble());
  }

  /** Whether a triggered snapshot of a state of {@code stateBytes} waits for more log, at a drawn {@code share}. */
  public boolean defers(long stateBytes, long logBytesSinceSnapshot, double share) {
    return stateBytes > stateFloorBytes && logBytesSinceSnapshot < share * stateBytes;
  }
}
