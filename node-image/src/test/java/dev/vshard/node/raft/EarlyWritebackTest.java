package dev.vshard.node.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Writebacks start every 16 MB while a file is written, one at a time, and a failed one fails the write. */
class EarlyWritebackTest {
  private static final int MB = 1 << 20;

  @TempDir
  Path dir;

  @Test
  void aWritebackStartsEverySixteenMegabytesAtMostOneAtATime() throws Exception {
    Path path = dir.resolve("file");
    try (FileChannel file = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
         EarlyWriteback writeback = new EarlyWriteback(file)) {
      long written = 0;
      for (int i = 0; i < 15; i++) {
        written += file.write(ByteBuffer.allocate(MB));
        writeback.wrote(written);
      }
      assertThat(writeback.started()).as("under 16 MB").isZero();
      for (int i = 0; i < 49; i++) {
        written += file.write(ByteBuffer.allocate(MB));
        writeback.wrote(written);
      }
      writeback.finish();
      assertThat(writeback.started()).as("64 MB written").isBetween(1, 3);
    }
    assertThat(Files.size(path)).isEqualTo(64L * MB);
  }

  @Test
  void aFailedWritebackFailsTheFinish() throws IOException {
    Path path = dir.resolve("file");
    FileChannel file = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    try (EarlyWriteback writeback = new EarlyWriteback(file)) {
      file.write(ByteBuffer.allocate(16 * MB));
      file.close();
      writeback.wrote(16L * MB);
      assertThatThrownBy(writeback::finish).isInstanceOf(ClosedChannelException.class);
    }
  }
}
