package dev.vshard.node.kv;

/**
 * A replica's own view of itself (never the leader's): Ratis role and lifecycle, applied index, whether a
 * snapshot was installed from the leader (and its index), bytes received (snapshot bytes installed plus
 * bytes of applied entries) and key count.
 */
public record ReplicaStats(int vshard, String node, String role, String lifecycle, long appliedIndex,
                           boolean snapshotInstalled, long snapshotIndex, long bytesReceived, long keys) {
}
