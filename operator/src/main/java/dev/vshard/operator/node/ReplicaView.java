package dev.vshard.operator.node;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** {@code GET /admin/v1/vshards/{v}/replica}: one node's own replica of a vShard. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ReplicaView(int vshard, String node, String role, String lifecycle, long appliedIndex,
                          boolean snapshotInstalled, Long snapshotIndex, long bytesReceived, Long keys) { }
