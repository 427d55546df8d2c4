package dev.vshard.node.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotFileTest {
  @TempDir
  Path dir;

  @Test
  void roundTrip() throws Exception {
    Path file = dir.resolve("snap");
    SnapshotFile.write(file, out -> {
      out.writeInt(3);
      out.writeUTF("a");
      out.writeUTF("b");
      out.writeUTF("c");
    });
    List<String> read = new ArrayList<>();
    SnapshotFile.read(file, in -> {
      int n = in.readInt();
      for (int i = 0; i < n; i++) {
        read.add(in.readUTF());
      }
    });
    assertThat(read).containsExactly("a", "b", "c");
    assertThat(Files.list(dir)).containsExactly(file); // no temporary file left behind
  }

  @Test
  void aFlippedByteIsRefused() throws Exception {
    Path file = dir.resolve("snap");
    SnapshotFile.write(file, out -> out.write(new byte[4096]));
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.seek(1000);
      raf.write(1);
    }
    assertThatThrownBy(() -> SnapshotFile.read(file, in -> { }))
        .isInstanceOf(SnapshotFile.CorruptSnapshotException.class).hasMessageContaining("checksum mismatch");
  }

  @Test
  void aTruncatedFileIsRefused() throws Exception {
    Path file = dir.resolve("snap");
    SnapshotFile.write(file, out -> out.write(new byte[4096]));
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.setLength(2000);
    }
    assertThatThrownBy(() -> SnapshotFile.verify(file)).isInstanceOf(SnapshotFile.CorruptSnapshotException.class);
  }
}
