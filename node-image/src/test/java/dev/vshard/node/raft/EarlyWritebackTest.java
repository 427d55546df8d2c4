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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Writebacks start every 16 MB while a file is written, one at a time, and a failed one fails the write. */
class EarlyWritebackTest {
  private static final int MB = 1 << 20;

  @TempDir
  Path dir;

  @Test
  void aWritebackStartsAfterSixteenMegabytesAndNeverBesideOneUnderWay() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger synced = new AtomicInteger();
    try (EarlyWriteback writeback = new EarlyWriteback(() -> {
      awaitRelease(release);
      synced.incrementAndGet();
    })) {
      writeback.wrote(16L * MB - 1);
      assertThat(writeback.started()).as("under 16 MB").isZero();

      writeback.wrote(16L * MB);
      assertThat(writeback.started()).as("16 MB written").isEqualTo(1);

      writeback.wrote(48L * MB);
      writeback.wrote(64L * MB);
      assertThat(writeback.started()).as("64 MB written while the first writeback is under way").isEqualTo(1);

      release.countDown();
      writeback.finish();
      assertThat(synced).hasValue(1);

      writeback.wrote(64L * MB + 1);
      assertThat(writeback.started()).as("16 MB past the first writeback's 16 MB").isEqualTo(2);
      writeback.finish();
      writeback.wrote(80L * MB);
      assertThat(writeback.started()).as("not 16 MB past the second writeback's 64 MB").isEqualTo(2);
      assertThat(synced).hasValue(2);
    }
  }

  @Test
  void theFileIsWrittenWholeWithWritebacksBeside() throws Exception {
    Path path = dir.resolve("file");
    try (FileChannel file = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
         EarlyWriteback writeback = new EarlyWriteback(file)) {
      long written = 0;
      for (int i = 0; i < 64; i++) {
        written += file.write(ByteBuffer.allocate(MB));
        writeback.wrote(written);
      }
      writeback.finish();
      // 16, 32, 48 and 64 MB at most, each only once the one before is done
      assertThat(writeback.started()).as("64 MB written").isBetween(1, 4);
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

  private static void awaitRelease(CountDownLatch latch) {
    try {
      assertThat(latch.await(30, TimeUnit.SECONDS)).as("the test released the writeback").isTrue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
