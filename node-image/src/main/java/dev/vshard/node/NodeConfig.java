package dev.vshard.node;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The node's settings (docs/contract.md, "Node process configuration"). Built by {@link NodeConfigParser}
 * from flags and environment variables, or directly by tests.
 *
 * @param snapshotThreshold log entries between automatic snapshots of a group (not in the chart; tests lower it
 *                          so logs are purged and late joiners get a snapshot install)
 * @param writeBatchLimit   most writes of one vShard carried by one log entry (group commit); 1 turns it off
 * @param commitIndexInLog  whether the leader logs each new commit index as an entry of its own (Ratis's log
 *                          metadata): a restarted replica then applies what it knows was committed before any
 *                          leader tells it, at the cost of an extra entry and replication round per commit
 * @param logSegmentBytes   size of a Raft log segment file; a purge drops whole segments (not in the chart; tests
 *                          lower it so the few MB they write are purged)
 */
public record NodeConfig(String nodeId, String clusterId, String advertiseHost, String bindHost,
                         int httpPort, int adminPort, int raftPort, Path dataDir,
                         List<InitialMember> initialMembers, int vshards, int replicationFactor,
                         Path adminTokenFile, Duration ghostTtl, long installThrottleBytesPerSecond,
                         long snapshotThreshold, int writeBatchLimit, boolean commitIndexInLog,
                         long logSegmentBytes) {
  public NodeConfig {
    initialMembers = List.copyOf(initialMembers);
  }

  public boolean isInitialMember() {
    return initialMembers.stream().anyMatch(m -> m.id().equals(nodeId));
  }

  /** The member that initiates the bootstrap: ordinal 0 (the lowest ordinal; the first listed on a tie). */
  public InitialMember bootstrapInitiator() {
    return initialMembers.stream().min(Comparator.comparingInt(m -> m.ordinal() < 0 ? Integer.MAX_VALUE : m.ordinal()))
        .orElseThrow();
  }

  public Optional<InitialMember> initialMember(String id) {
    return initialMembers.stream().filter(m -> m.id().equals(id)).findFirst();
  }

  public NodeConfig withNodeId(String newNodeId, String newAdvertiseHost, Path newDataDir) {
    return new NodeConfig(newNodeId, clusterId, newAdvertiseHost, newAdvertiseHost, httpPort, adminPort, raftPort, newDataDir,
        initialMembers, vshards, replicationFactor, adminTokenFile, ghostTtl, installThrottleBytesPerSecond, snapshotThreshold,
        writeBatchLimit, commitIndexInLog, logSegmentBytes);
  }
}
