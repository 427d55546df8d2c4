package dev.vshard.node.migration;

/**
 * The leader's view of one member: its role, how far its log matches the leader's ({@code null} when the
 * leader has no appender for it yet), the lag behind the commit index, and the age of its last answer.
 */
public record PeerReplication(String node, String role, Long matchIndex, Long lag, Long lastContactMillis) {
}
