package dev.vshard.node.migration;

/** What a cut-over job works with; one instance per node, shared by all jobs. */
record CutOverServices(String self, VShardGroups groups, MigrationRecords records, HeldWrites writes,
                       PeerAdminClient peers, PauseEstimator estimator, ConditionPoller poller) {
}
