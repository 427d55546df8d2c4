package dev.vshard.node.raft;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.stream.Stream;
import org.apache.ratis.statemachine.SnapshotRetentionPolicy;
import org.apache.ratis.statemachine.impl.SimpleStateMachineStorage;
import org.apache.ratis.statemachine.impl.SingleFileSnapshotInfo;

/**
 * Ratis's snapshot directory, with a retention that counts every snapshot file. Ratis's own cleanup only
 * counts snapshots that have an MD5 file beside them, and we write none (our files carry a CRC32C, see
 * {@link SnapshotFile}): without this, every snapshot of a group would stay on disk. The directory is only
 * listed when a snapshot came since the last cleanup: Ratis asks after every apply while one is being
 * written ({@link FileSnapshotStateMachine#takeSnapshot}).
 */
final class SnapshotStorage extends SimpleStateMachineStorage {
  private final AtomicBoolean snapshotSinceCleanup = new AtomicBoolean(true);

  @Override
  public SingleFileSnapshotInfo updateLatestSnapshot(SingleFileSnapshotInfo snapshot) {
    snapshotSinceCleanup.set(true);
    return super.updateLatestSnapshot(snapshot);
  }

  @Override
  public void cleanupOldSnapshots(SnapshotRetentionPolicy policy) throws IOException {
    if (!snapshotSinceCleanup.getAndSet(false)) {
      return;
    }
    int retained = policy == null ? 0 : policy.getNumSnapshotsRetained();
    File dir = getSnapshotFile(0, 0).getParentFile();
    if (retained > 0 && dir != null && dir.isDirectory()) {
      retainNewest(dir.toPath(), retained);
    }
  }

  /** Deletes all but the {@code retained} snapshot files of highest index in {@code dir}. */
  static void retainNewest(Path dir, int retained) throws IOException {
    List<Path> newestFirst;
    try (Stream<Path> files = Files.list(dir)) {
      newestFirst = files.filter(f -> SNAPSHOT_REGEX.matcher(f.getFileName().toString()).matches())
          .sorted(Comparator.comparingLong(SnapshotStorage::indexOf).reversed()).toList();
    }
    for (Path old : newestFirst.subList(Math.min(retained, newestFirst.size()), newestFirst.size())) {
      Files.deleteIfExists(old); // a download still reading it keeps its open file
    }
  }

  private static long indexOf(Path snapshot) {
    Matcher m = SNAPSHOT_REGEX.matcher(snapshot.getFileName().toString());
    return m.matches() ? Long.parseLong(m.group(2)) : -1;
  }
}
