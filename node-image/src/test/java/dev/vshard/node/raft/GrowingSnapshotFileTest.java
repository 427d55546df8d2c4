package dev.vshard.node.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.ratis.server.protocol.TermIndex;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A snapshot read while it is written: the reader gets the bytes already written before the writer goes on,
 * ends with the same file, and fails (never reads past what was written) when the write fails.
 */
class GrowingSnapshotFileTest {
  private static final int HALF = 3 << 20;

  @TempDir
  Path dir;

  @Test
  void aReaderGetsTheWrittenHalfWhileTheWriterWaitsThenTheWholeFile() throws Exception {
    Path target = dir.resolve("snapshot");
    GrowingSnapshotFile growing = new GrowingSnapshotFile(TermIndex.valueOf(1, 10), target);
    CountDownLatch secondHalf = new CountDownLatch(1);
    CompletableFuture<SnapshotFile.Stored> write = writeAsync(target, new HeldHalfWay(secondHalf, false), growing);

    AtomicLong read = new AtomicLong();
    Path received = dir.resolve("received");
    CompletableFuture<SnapshotFile.Stored> reader = readAsync(growing, read, in -> SnapshotFile.receive(in, received, 64 * 1024));
    assertThat(growing.fileBytes()).isEqualTo(SnapshotFile.FRAMING_BYTES + 2L * HALF);
    await("the reader has the first half").atMost(Duration.ofSeconds(30)).until(() -> read.get() >= HALF);
    assertThat(write).as("the writer still waits for the second half").isNotDone();
    assertThat(reader).as("the reader waits for the rest").isNotDone();

    secondHalf.countDown();
    SnapshotFile.Stored stored = write.get(30, TimeUnit.SECONDS);
    assertThat(reader.get(30, TimeUnit.SECONDS).bytes()).isEqualTo(stored.bytes());
    assertThat(Files.readAllBytes(received)).isEqualTo(Files.readAllBytes(target)); // and receive checked its checksum
  }

  @Test
  void aFailedWriteFailsTheReaderAndLeavesNoFile() throws Exception {
    Path target = dir.resolve("snapshot");
    GrowingSnapshotFile growing = new GrowingSnapshotFile(TermIndex.valueOf(1, 10), target);
    CountDownLatch secondHalf = new CountDownLatch(1);
    CompletableFuture<SnapshotFile.Stored> write = writeAsync(target, new HeldHalfWay(secondHalf, true), growing);
    AtomicLong read = new AtomicLong();
    CompletableFuture<Long> reader = readAsync(growing, read, in -> in.transferTo(OutputStream.nullOutputStream()));
    await("the reader has the first half").atMost(Duration.ofSeconds(30)).until(() -> read.get() >= HALF);

    secondHalf.countDown();
    assertThatThrownBy(() -> write.get(30, TimeUnit.SECONDS)).hasRootCauseMessage("disk full (the test's)");
    assertThatThrownBy(() -> reader.get(30, TimeUnit.SECONDS)).hasRootCauseMessage("disk full (the test's)");
    assertThat(read.get()).as("nothing beyond what was written").isLessThanOrEqualTo(HALF + Integer.BYTES);
    try (var files = Files.list(dir)) {
      assertThat(files).as("neither the snapshot nor its temporary file").isEmpty();
    }
  }

  @Test
  void aBodyThatWritesAnotherSizeThanItAnnouncedIsNoSnapshot() throws Exception {
    Path target = dir.resolve("snapshot");
    SnapshotFile.BodyWriter lying = new SnapshotFile.BodyWriter() {
      @Override
      public void write(DataOutputStream out) throws IOException {
        out.write(new byte[1000]);
      }

      @Override
      public long bodyBytes() {
        return 999;
      }
    };
    assertThatThrownBy(() -> SnapshotFile.write(target, lying)).isInstanceOf(IOException.class)
        .hasMessageContaining("came to 1012 bytes, 1011 were announced");
    try (var files = Files.list(dir)) {
      assertThat(files).isEmpty();
    }
  }

  @Test
  void openedAfterTheWriteItReadsTheFileInPlace() throws Exception {
    Path target = dir.resolve("snapshot");
    GrowingSnapshotFile growing = new GrowingSnapshotFile(TermIndex.valueOf(1, 10), target);
    writeAsync(target, new HeldHalfWay(new CountDownLatch(0), false), growing).get(30, TimeUnit.SECONDS);
    try (InputStream in = growing.open()) {
      assertThat(in.readAllBytes()).isEqualTo(Files.readAllBytes(target));
    }
  }

  /** Writes as {@code SnapshotInProgress} does: the growing file is told when the write ended, and how. */
  private static CompletableFuture<SnapshotFile.Stored> writeAsync(Path target, SnapshotFile.BodyWriter body,
      GrowingSnapshotFile growing) {
    return CompletableFuture.supplyAsync(() -> {
      try {
        return SnapshotFile.write(target, body, growing);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }).whenComplete((stored, failure) -> growing.ended(failure));
  }

  /** What a reader does with the file's stream. */
  @FunctionalInterface
  private interface StreamUse<T> {
    T use(InputStream in) throws IOException;
  }

  /** Reads the growing file on another thread, counting the bytes it got in {@code read}. */
  private static <T> CompletableFuture<T> readAsync(GrowingSnapshotFile growing, AtomicLong read, StreamUse<T> use) {
    return CompletableFuture.supplyAsync(() -> {
      try (InputStream in = new CountingStream(growing.open(), read)) {
        return use.use(in);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
  }

  /** Two halves of numbered bytes; waits before the second, or fails there. */
  private record HeldHalfWay(CountDownLatch secondHalf, boolean failThere) implements SnapshotFile.BodyWriter {
    @Override
    public void write(DataOutputStream out) throws IOException {
      out.write(half(0));
      out.flush(); // out of the writer's buffer, into the file
      try {
        secondHalf.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException(e);
      }
      if (failThere) {
        throw new IOException("disk full (the test's)");
      }
      out.write(half(1));
    }

    @Override
    public boolean sizeKnownAhead() {
      return true;
    }

    @Override
    public long bodyBytes() {
      return 2L * HALF;
    }

    private static byte[] half(int which) {
      byte[] bytes = new byte[HALF];
      for (int i = 0; i < bytes.length; i++) {
        bytes[i] = (byte) (i * 31 + which);
      }
      return bytes;
    }
  }

  private static final class CountingStream extends java.io.FilterInputStream {
    private final AtomicLong count;

    CountingStream(InputStream in, AtomicLong count) {
      super(in);
      this.count = count;
    }

    @Override
    public int read(byte[] into, int offset, int length) throws IOException {
      int n = super.read(into, offset, length);
      if (n > 0) {
        count.addAndGet(n);
      }
      return n;
    }
  }
}
