package dev.vshard.node.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.DataInputStream;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading a mapped snapshot body, with windows small enough that records cross their starts. */
class SnapshotBodyTest {
  private static final int WINDOW = 64;
  private static final int OVERLAP = 40;

  @TempDir
  Path dir;

  @Test
  void recordsThatCrossWindowStartsReadWhole() throws Exception {
    Path file = dir.resolve("snap");
    SnapshotFile.write(file, out -> {
      for (int i = 0; i < 30; i++) {
        out.writeUTF("key-" + i + (i % 3 == 0 ? "-é" : "")); // some beyond ASCII: modified UTF-8
        byte[] value = new byte[i];
        java.util.Arrays.fill(value, (byte) i);
        out.writeInt(value.length);
        out.write(value);
      }
    });
    assertThat(Files.size(file)).isGreaterThan(10L * WINDOW); // many windows

    SnapshotBody body = SnapshotFile.map(file, false, WINDOW, OVERLAP);
    for (int i = 0; i < 30; i++) {
      assertThat(body.readUTF()).isEqualTo("key-" + i + (i % 3 == 0 ? "-é" : ""));
      ByteBuffer value = body.slice(body.readInt());
      assertThat(value.remaining()).isEqualTo(i);
      for (int b = 0; b < i; b++) {
        assertThat(value.get(b)).isEqualTo((byte) i);
      }
    }
    assertThat(body.hasRemaining()).isFalse();
    assertThatThrownBy(body::readInt).isInstanceOf(SnapshotFile.CorruptSnapshotException.class)
        .hasMessageContaining("runs past the body's end");
  }

  @Test
  void theStreamReadsAcrossWindowsToTheBodysEnd() throws Exception {
    Path file = dir.resolve("snap");
    byte[] content = new byte[1_000];
    for (int i = 0; i < content.length; i++) {
      content[i] = (byte) (i * 7);
    }
    SnapshotFile.write(file, out -> out.write(content));

    DataInputStream in = SnapshotFile.map(file, false, WINDOW, OVERLAP).stream();
    assertThat(in.readAllBytes()).isEqualTo(content); // not the trailer
  }

  @Test
  void aRecordLongerThanTheOverlapIsRefused() throws Exception {
    Path file = dir.resolve("snap");
    SnapshotFile.write(file, out -> {
      out.writeInt(0);
      out.write(new byte[200]);
    });
    SnapshotBody body = SnapshotFile.map(file, false, WINDOW, OVERLAP);
    body.readInt();
    assertThatThrownBy(() -> body.slice(200)).isInstanceOf(SnapshotFile.CorruptSnapshotException.class)
        .hasMessageContaining("larger than a snapshot record can be");
  }

  @Test
  void aSliceOutlivesTheFilesName() throws Exception {
    Path file = dir.resolve("snap");
    SnapshotFile.write(file, out -> out.write("still here".getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
    ByteBuffer kept = SnapshotFile.map(file, true).slice(10);
    Files.delete(file);
    byte[] read = new byte[kept.remaining()];
    kept.get(0, read);
    assertThat(new String(read, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("still here");
  }

  @Test
  void aCheckedFileIsNotVerifiedAgainButItsMagicIs() throws Exception {
    Path file = dir.resolve("snap");
    SnapshotFile.write(file, out -> out.writeInt(42));
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.seek(Files.size(file) - 1); // the trailer: only a verifying map notices
      raf.write(raf.read() ^ 1);
    }
    assertThat(SnapshotFile.map(file, true).readInt()).isEqualTo(42);
    assertThatThrownBy(() -> SnapshotFile.map(file, false)).hasMessageContaining("checksum mismatch");
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.seek(0);
      raf.writeInt(0x12345678);
    }
    assertThatThrownBy(() -> SnapshotFile.map(file, true)).hasMessageContaining("is not a vshard snapshot");
  }

  @Test
  void aFlippedByteInALaterWindowIsRefused() throws Exception {
    Path file = dir.resolve("snap");
    SnapshotFile.write(file, out -> out.write(new byte[1_000]));
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.seek(700);
      raf.write(1);
    }
    assertThatThrownBy(() -> SnapshotFile.map(file, false, WINDOW, OVERLAP)).hasMessageContaining("checksum mismatch");
  }
}
