package dev.vshard.node.raft;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.server.protocol.TermIndex;

/**
 * Where a replica gets the leader's snapshot when Ratis notifies it that the leader's log no longer reaches
 * back far enough. Implemented over HTTP ({@code http.SnapshotDownloader}).
 */
public interface SnapshotSource {
  /**
   * Downloads the leader's latest snapshot of {@code group} into {@code target}; completes with its term and
   * index, or with {@code null} when the leader has no snapshot (Ratis then replicates the log from the start).
   */
  CompletableFuture<TermIndex> download(RaftGroupId group, String leaderNodeId, Path target);
}
