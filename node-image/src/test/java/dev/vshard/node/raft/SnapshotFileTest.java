package dev.vshard.node.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
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
    SnapshotBody body = SnapshotFile.map(file, false);
    int n = body.readInt();
    for (int i = 0; i < n; i++) {
      read.add(body.readUTF());
    }
    assertThat(read).containsExactly("a", "b", "c");
    assertThat(body.hasRemaining()).isFalse();
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
    assertThatThrownBy(() -> SnapshotFile.map(file, false))
        .isInstanceOf(SnapshotFile.CorruptSnapshotException.class).hasMessageContaining("checksum mismatch");
  }

  @Test
  void aTruncatedFileIsRefused() throws Exception {
    Path file = dir.resolve("snap");
    SnapshotFile.write(file, out -> out.write(new byte[4096]));
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.setLength(2000);
    }
    assertThatThrownBy(() -> SnapshotFile.map(file, false)).isInstanceOf(SnapshotFile.CorruptSnapshotException.class);
  }

  @Test
  void writingReturnsTheSizeOfTheFile() throws Exception {
    Path file = dir.resolve("snap");
    SnapshotFile.Stored stored = SnapshotFile.write(file, out -> out.write(new byte[100_000]));
    assertThat(stored.bytes()).isEqualTo(Files.size(file)).isEqualTo(4 + 100_000 + 8);
  }

  /** Reads of every size, down to single bytes, so the trailer arrives split across reads. */
  @ParameterizedTest
  @ValueSource(ints = {1, 3, 7, 8, 9, 4096, 1 << 20})
  void aReceivedSnapshotIsCheckedOnArrival(int bufferBytes) throws Exception {
    Path sent = dir.resolve("sent");
    SnapshotFile.write(sent, out -> {
      for (int i = 0; i < 5_000; i++) {
        out.writeInt(i);
      }
    });
    Path received = dir.resolve("received");
    SnapshotFile.Stored stored = SnapshotFile.receive(new ByteArrayInputStream(Files.readAllBytes(sent)), received, bufferBytes);
    assertThat(received).hasSameBinaryContentAs(sent);
    assertThat(stored.bytes()).isEqualTo(Files.size(sent));
  }

  @ParameterizedTest
  @ValueSource(ints = {5, 20_011, Integer.MAX_VALUE}) // a body byte, a trailer byte, a cut-off end
  void aCorruptOrTruncatedArrivalIsRefusedAndLeavesNothing(int damagedAt) throws Exception {
    Path sent = dir.resolve("sent");
    SnapshotFile.write(sent, out -> out.write(new byte[20_000]));
    byte[] bytes = Files.readAllBytes(sent);
    byte[] arriving = damagedAt < bytes.length ? bytes.clone() : java.util.Arrays.copyOf(bytes, bytes.length - 3);
    if (damagedAt < bytes.length) {
      arriving[damagedAt] ^= 1;
    }
    Path received = dir.resolve("received");
    assertThatThrownBy(() -> SnapshotFile.receive(new ByteArrayInputStream(arriving), received, 4096))
        .isInstanceOf(SnapshotFile.CorruptSnapshotException.class);
    assertThat(Files.list(dir)).containsExactly(sent);
  }
}
