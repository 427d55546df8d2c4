package dev.vshard.node.raft;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.apache.ratis.server.protocol.TermIndex;

/**
 * A snapshot being written off the apply thread: the state as it was at one applied index (frozen on the
 * apply thread, so state and index match), the file it goes to, and two moments: {@link #written} when the
 * file is on disk, {@link #reported} when Ratis has been told (and may purge its log up to it). While it is
 * written, {@link #growing} (for a body that knows its size ahead) lets a replica that installs it read it.
 */
final class SnapshotInProgress {
  final TermIndex termIndex;
  final File file;
  /** The replica's log bytes since the previous snapshot when the state was frozen: the ones this one covers. */
  final long logBytesCovered;
  /** How long the apply thread was held to freeze the state. */
  final long freezeNanos;
  final CompletableFuture<SnapshotFile.Stored> written;
  final CompletableFuture<Long> reported = new CompletableFuture<>();
  /** Null for a body whose size is known only once it is written. */
  final GrowingSnapshotFile growing;
  private volatile long writeNanos;

  /** Starts writing {@code frozen} on {@code writes}; where that executor no longer takes work, right here. */
  SnapshotInProgress(TermIndex termIndex, File file, long logBytesCovered, long freezeNanos, SnapshotFile.BodyWriter frozen,
                     Executor writes) {
    this.termIndex = termIndex;
    this.file = file;
    this.logBytesCovered = logBytesCovered;
    this.freezeNanos = freezeNanos;
    this.growing = frozen.sizeKnownAhead() ? new GrowingSnapshotFile(termIndex, file.toPath()) : null;
    CompletableFuture<SnapshotFile.Stored> writing;
    try {
      writing = CompletableFuture.supplyAsync(() -> write(frozen), writes);
    } catch (RejectedExecutionException closing) {
      writing = CompletableFuture.supplyAsync(() -> write(frozen), Runnable::run);
    }
    this.written = writing;
    written.whenComplete((stored, failure) -> {
      if (growing != null) {
        growing.ended(failure);
      }
      if (failure != null) {
        reported.completeExceptionally(failure);
      }
    });
  }

  /** How long writing the file took (once {@link #written}). */
  long writeNanos() {
    return writeNanos;
  }

  private SnapshotFile.Stored write(SnapshotFile.BodyWriter frozen) {
    long started = System.nanoTime();
    try {
      return SnapshotFile.write(file.toPath(), frozen, growing != null ? growing : SnapshotFile.WriteProgress.NONE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      frozen.release();
      writeNanos = System.nanoTime() - started;
    }
  }

  /** Waits until the write ended, written or not: its failure, if it failed. */
  Optional<IOException> awaitEnd() {
    try {
      awaitWritten();
      return Optional.empty();
    } catch (IOException e) {
      return Optional.of(e);
    }
  }

  /** Waits for the file (the caller knows it is written, or must not go on until it is). */
  SnapshotFile.Stored awaitWritten() throws IOException {
    try {
      return written.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted waiting for snapshot " + termIndex + " to be written", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof UncheckedIOException unchecked) {
        throw unchecked.getCause();
      }
      throw new IOException("snapshot " + termIndex + " not written: " + e.getCause(), e.getCause());
    }
  }
}
