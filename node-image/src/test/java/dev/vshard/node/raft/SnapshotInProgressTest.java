package dev.vshard.node.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.ratis.server.protocol.TermIndex;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The frozen state is released once whatever becomes of the write, and before anyone sees the write end: the
 * next freeze, which follows that end, must find it released (a KV map refuses a second freeze otherwise).
 */
class SnapshotInProgressTest {
  private static final TermIndex AT = TermIndex.valueOf(1, 10);
  private final ExecutorService writer = Executors.newSingleThreadExecutor();

  @TempDir
  Path dir;

  @AfterEach
  void stop() {
    writer.shutdownNow();
  }

  @Test
  void aWrittenSnapshotReleasedItsStateBeforeTheWriteIsSeenToEnd() throws Exception {
    CountDownLatch go = new CountDownLatch(1);
    Released body = new Released(out -> {
      awaitGo(go);
      out.writeInt(7);
    });
    SnapshotInProgress snapshot = new SnapshotInProgress(AT, dir.resolve("snapshot").toFile(), 0, 0, body, writer);
    CompletableFuture<Integer> releasesSeenAtTheEnd = snapshot.written.thenApply(stored -> body.releases.get());
    assertThat(body.releases).as("still writing").hasValue(0);

    go.countDown();
    assertThat(releasesSeenAtTheEnd.get(30, TimeUnit.SECONDS)).isEqualTo(1);
    assertThat(snapshot.awaitWritten().bytes()).isPositive();
    assertThat(body.releases).hasValue(1);
  }

  @Test
  void aFailedWriteReleasedItsStateToo() {
    Released body = new Released(out -> {
      throw new IOException("disk full");
    });
    SnapshotInProgress snapshot = new SnapshotInProgress(AT, dir.resolve("snapshot").toFile(), 0, 0, body, writer);
    assertThatThrownBy(snapshot::awaitWritten).isInstanceOf(IOException.class).hasMessageContaining("disk full");
    assertThat(body.releases).hasValue(1);
  }

  @Test
  void aWriteThatNeverBeganReleasedItsState() {
    Released body = new Released(out -> out.writeInt(7));
    SnapshotInProgress snapshot = new SnapshotInProgress(AT, dir.resolve("no-such-dir/snapshot").toFile(), 0, 0, body,
        writer);
    assertThatThrownBy(snapshot::awaitWritten).isInstanceOf(IOException.class);
    assertThat(body.bodyWrites).as("the file could not be created").hasValue(0);
    assertThat(body.releases).hasValue(1);
  }

  private static void awaitGo(CountDownLatch go) throws IOException {
    try {
      assertThat(go.await(30, TimeUnit.SECONDS)).as("the test let the write go on").isTrue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  /** A body that counts its writes and releases. */
  private static final class Released implements SnapshotFile.BodyWriter {
    final AtomicInteger bodyWrites = new AtomicInteger();
    final AtomicInteger releases = new AtomicInteger();
    private final SnapshotFile.BodyWriter body;

    Released(SnapshotFile.BodyWriter body) {
      this.body = body;
    }

    @Override
    public void write(DataOutputStream out) throws IOException {
      bodyWrites.incrementAndGet();
      body.write(out);
    }

    @Override
    public void release() {
      releases.incrementAndGet();
    }
  }
}
