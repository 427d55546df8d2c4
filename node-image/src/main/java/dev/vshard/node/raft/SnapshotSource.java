package dev.vshard.node.raft;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.server.protocol.TermIndex;

/**
 * Where a replica gets the leader's snapshot when Ratis notifies it that the leader's log no longer reaches
 * back far enough. Implemented over HTTP ({@code http.HttpSnapshotSource}).
 */
public interface SnapshotSource {
  /** A snapshot now in a local file, checked on arrival ({@link SnapshotFile#receive}), and its term and index. */
  record Received(TermIndex termIndex, SnapshotFile.Stored file) {
  }

  /**
   * Downloads the leader's latest snapshot of {@code group} into {@code target}; completes with what arrived,
   * or with {@code null} when the leader has no snapshot (Ratis then replicates the log from the start).
   */
  CompletableFuture<Received> download(RaftGroupId group, String leaderNodeId, Path target);
}
