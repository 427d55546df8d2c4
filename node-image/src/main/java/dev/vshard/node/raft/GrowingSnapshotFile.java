package dev.vshard.node.raft;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.server.protocol.TermIndex;

/**
 * A snapshot file that is still being written, readable as it grows: a replica that installs it (a learner
 * joining) downloads it while the leader writes it, instead of after (for 100 MB, about a quarter of a second
 * each). Only a body of known size is offered ({@link SnapshotFile.BodyWriter#sizeKnownAhead}), so the reader
 * knows the length up front; a write that fails, or comes to another size, fails the readers too (they read the
 * written bytes, never invented ones, and the receiver's checksum decides).
 */
public final class GrowingSnapshotFile implements SnapshotFile.WriteProgress {
  /** Longest wait for the writer to start, or to write more: it writes a 64 KB buffer at a time. */
  private static final long STALL_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(60);

  private final TermIndex termIndex;
  private final Path target;
  private Path writing;
  private long expectedBytes = SnapshotFile.UNKNOWN_SIZE;
  private long written;
  private boolean ended;
  private Throwable failure;

  /** @param target where the file is moved once written */
  GrowingSnapshotFile(TermIndex termIndex, Path target) {
    this.termIndex = termIndex;
    this.target = target;
  }

  public TermIndex termIndex() {
    return termIndex;
  }

  @Override
  public synchronized void started(Path file, long expected) {
    writing = file;
    expectedBytes = expected;
    notifyAll();
  }

  @Override
  public synchronized void wrote(long bytes) {
    written = bytes;
    notifyAll();
  }

  /** The write ended: in place under the target name, or failed. */
  synchronized void ended(Throwable failed) {
    ended = true;
    failure = failed;
    notifyAll();
  }

  /**
   * The whole file's length, once the writer has started; {@link SnapshotFile#UNKNOWN_SIZE} for a body that
   * does not know its size ahead (such a file is not {@link #open}ed before it is written).
   */
  public synchronized long fileBytes() throws IOException {
    long deadline = System.nanoTime() + STALL_TIMEOUT_NANOS;
    while (writing == null && !ended) {
      waitUntil(deadline, "start");
    }
    throwIfFailed();
    return expectedBytes;
  }

  /** The file from its start; a read waits at the written end until more is written. */
  public InputStream open() throws IOException {
    return new Reader(openChannel(), fileBytes());
  }

  /**
   * The file, for reads up to what {@link #awaitBeyond} allows (the bytes past it may not be written yet).
   * It stays readable when the write ends and moves it into place.
   */
  public FileChannel openChannel() throws IOException {
    if (fileBytes() == SnapshotFile.UNKNOWN_SIZE) {
      throw new IOException("snapshot " + termIndex + " has no size known before it is written");
    }
    try {
      return FileChannel.open(currentPath(), StandardOpenOption.READ);
    } catch (NoSuchFileException movedMeanwhile) {
      return FileChannel.open(target, StandardOpenOption.READ);
    }
  }

  private synchronized Path currentPath() {
    return ended ? target : writing;
  }

  /**
   * Waits until more than {@code position} bytes are written, or the write ended; returns how many are. Fails
   * when the write failed.
   */
  public synchronized long awaitBeyond(long position) throws IOException {
    long deadline = System.nanoTime() + STALL_TIMEOUT_NANOS;
    while (written <= position && !ended) {
      waitUntil(deadline, "write past byte " + position);
    }
    throwIfFailed();
    return written;
  }

  private void waitUntil(long deadline, String what) throws IOException {
    long left = deadline - System.nanoTime();
    if (left <= 0) {
      throw new IOException("snapshot " + termIndex + ": the writer did not " + what + " within "
          + TimeUnit.NANOSECONDS.toSeconds(STALL_TIMEOUT_NANOS) + " s");
    }
    try {
      TimeUnit.NANOSECONDS.timedWait(this, left);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted reading snapshot " + termIndex + " while it is written", e);
    }
  }

  private void throwIfFailed() throws IOException {
    if (failure != null) {
      throw new IOException("snapshot " + termIndex + " was not written: " + failure, failure);
    }
  }

  private final class Reader extends InputStream {
    private final FileChannel channel;
    private final long length;
    private long position;

    Reader(FileChannel channel, long length) {
      this.channel = channel;
      this.length = length;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : Byte.toUnsignedInt(one[0]);
    }

    @Override
    public int read(byte[] into, int offset, int count) throws IOException {
      if (count == 0) {
        return 0;
      }
      if (position >= length) {
        return -1;
      }
      long available = awaitBeyond(position);
      if (available <= position) {
        throw new IOException("snapshot " + termIndex + " ended at byte " + available + " of " + length);
      }
      ByteBuffer buffer = ByteBuffer.wrap(into, offset, (int) Math.min(count, available - position));
      while (buffer.hasRemaining()) {
        int n = channel.read(buffer, position + buffer.position() - offset);
        if (n < 0) {
          throw new IOException("snapshot " + termIndex + " is shorter than the " + available + " bytes written");
        }
      }
      int n = buffer.position() - offset;
      position += n;
      return n;
    }

    @Override
    public void close() throws IOException {
      channel.close();
    }
  }
}
