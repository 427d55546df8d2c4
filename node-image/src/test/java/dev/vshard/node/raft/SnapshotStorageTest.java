package dev.vshard.node.raft;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotStorageTest {
  @TempDir
  Path dir;

  @Test
  void keepsTheSnapshotsOfHighestIndexAndNothingElseIsTouched() throws Exception {
    for (String name : new String[] {"snapshot.1_10", "snapshot.1_200", "snapshot.2_30", "snapshot.2_5",
        "snapshot.2_30.tmp", "download-7.tmp"}) {
      Files.writeString(dir.resolve(name), name);
    }
    SnapshotStorage.retainNewest(dir, 2);
    try (Stream<Path> left = Files.list(dir)) {
      assertThat(left.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("snapshot.1_200", "snapshot.2_30", "snapshot.2_30.tmp", "download-7.tmp");
    }
  }
}
