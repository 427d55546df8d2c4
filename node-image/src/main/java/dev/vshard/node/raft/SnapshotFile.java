package dev.vshard.node.raft;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;
import java.util.zip.CheckedOutputStream;

/**
 * The on-disk snapshot format: {@code magic, body..., crc32c(magic+body)}. Written to a temporary file and
 * moved into place, so a crash never leaves a half snapshot under the real name; verified before loading,
 * so a corrupted or truncated file is refused instead of silently loading partial state. The file and the
 * rename are on disk before a write or a receive returns (fsync of the file, then of its directory): Ratis
 * purges the log up to a snapshot once it is reported, so after a power loss the snapshot is all there is.
 * <p>
 * A received snapshot is checked while it arrives, and loading maps it ({@link #map}), so a 100 MB snapshot
 * is read once, not three times.
 * No MD5 is kept: Ratis only uses one for its own chunked transfer, which we do not use, and computing it
 * took a fifth of a 100 MB download.
 */
public final class SnapshotFile {
  private static final int MAGIC = 0x56534e31; // "VSN1"
  private static final int TRAILER = Long.BYTES;
  private static final int BUFFER = 1 << 16;
  /** Where mapping windows start ({@link SnapshotBody}); a mapping holds at most 2 GB. */
  private static final long WINDOW_BYTES = 1L << 30;
  /** Longer than any record: a value (at most 16 MB) with its key (at most 64 KB) and their lengths. */
  private static final int WINDOW_OVERLAP_BYTES = 32 << 20;

  /** What the file holds around its body: the magic before, the checksum after. */
  public static final int FRAMING_BYTES = Integer.BYTES + TRAILER;
  /** {@link BodyWriter#bodyBytes} of a body that does not know its size before it is written. */
  public static final long UNKNOWN_SIZE = -1;

  @FunctionalInterface
  public interface BodyWriter {
    void write(DataOutputStream out) throws IOException;

    /**
     * The exact number of bytes {@link #write} will write, or {@link #UNKNOWN_SIZE}; called once, on the thread
     * that writes. A known size lets a reader take the file while it is written ({@link WriteProgress}); a write
     * that then writes another size fails.
     */
    default long bodyBytes() {
      return UNKNOWN_SIZE;
    }

    /** Whether {@link #bodyBytes} will know the size (answered at once, on any thread). */
    default boolean sizeKnownAhead() {
      return false;
    }

    /**
     * The frozen state is no longer read: the write ended, written or not, or never began. Called once, before
     * the snapshot's write is seen to end, so the next freeze finds it released.
     */
    default void release() {
    }
  }

  /** Told how a {@link #write} goes, so the file can be read while it grows (a snapshot streamed to a learner). */
  public interface WriteProgress {
    WriteProgress NONE = new WriteProgress() {
      @Override
      public void started(Path file, long expectedBytes) {
      }

      @Override
      public void wrote(long bytes) {
      }
    };

    /** The file now exists under {@code file} (it is moved into place at the end); it will hold {@code expectedBytes}. */
    void started(Path file, long expectedBytes);

    /** The file's first {@code bytes} are written (readable, not yet on disk). */
    void wrote(long bytes);
  }

  /** A snapshot file now in place: its size. */
  public record Stored(long bytes) {
  }

  private SnapshotFile() {
  }

  public static Stored write(Path target, BodyWriter body) throws IOException {
    return write(target, body, WriteProgress.NONE);
  }

  public static Stored write(Path target, BodyWriter body, WriteProgress progress) throws IOException {
    Path tmp = temporary(target);
    long bodyBytes = body.bodyBytes();
    long expected = bodyBytes == UNKNOWN_SIZE ? UNKNOWN_SIZE : FRAMING_BYTES + bodyBytes;
    long bytes;
    try (FileChannel file = create(tmp); EarlyWriteback writeback = new EarlyWriteback(file)) {
      progress.started(tmp, expected);
      bytes = writeFramed(new ReportingOutput(file, progress, writeback), body);
      if (expected != UNKNOWN_SIZE && bytes != expected) {
        // a reader that took the file while it grew expects that size: never let another one become a snapshot
        throw new IOException("snapshot " + target + " came to " + bytes + " bytes, " + expected + " were announced");
      }
      writeback.finish();
      file.force(true);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(tmp);
      throw e;
    }
    moveDurably(tmp, target);
    return new Stored(bytes);
  }

  /** Magic, body, checksum; returns the file's size. */
  private static long writeFramed(ReportingOutput file, BodyWriter body) throws IOException {
    BufferedOutputStream buffered = new BufferedOutputStream(file, BUFFER);
    CheckedOutputStream checked = new CheckedOutputStream(buffered, new CRC32C());
    DataOutputStream data = new DataOutputStream(checked);
    data.writeInt(MAGIC);
    body.write(data);
    data.flush();
    new DataOutputStream(buffered).writeLong(checked.getChecksum().getValue());
    buffered.flush();
    return file.written;
  }

  /**
   * The file channel's stream, telling {@link WriteProgress} and {@link EarlyWriteback} after each write how far
   * the file goes.
   */
  private static final class ReportingOutput extends OutputStream {
    private final FileChannel file;
    private final WriteProgress progress;
    private final EarlyWriteback writeback;
    private long written;

    ReportingOutput(FileChannel file, WriteProgress progress, EarlyWriteback writeback) {
      this.file = file;
      this.progress = progress;
      this.writeback = writeback;
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
      ByteBuffer buffer = ByteBuffer.wrap(bytes, offset, length);
      while (buffer.hasRemaining()) {
        file.write(buffer);
      }
      written += length;
      progress.wrote(written);
      writeback.wrote(written);
    }
  }

  /**
   * Copies a snapshot arriving on {@code in} into {@code target}, checking it while it arrives; a corrupt
   * or truncated one is refused ({@link CorruptSnapshotException}) and leaves nothing under {@code target}.
   */
  public static Stored receive(InputStream in, Path target, int bufferBytes) throws IOException {
    Path tmp = temporary(target);
    long bytes;
    try (FileChannel file = create(tmp); EarlyWriteback writeback = new EarlyWriteback(file)) {
      bytes = check(in, new ReportingOutput(file, WriteProgress.NONE, writeback), bufferBytes, target.toString());
      writeback.finish();
      file.force(true);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(tmp);
      throw e;
    }
    moveDurably(tmp, target);
    return new Stored(bytes);
  }

  /** Copies {@code in} to {@code out} whole, then checks it; returns its length. */
  private static long check(InputStream in, OutputStream out, int bufferBytes, String what) throws IOException {
    Check check = new Check(what);
    byte[] buffer = new byte[bufferBytes];
    int n;
    while ((n = in.read(buffer)) > 0) {
      check.update(buffer, n);
      out.write(buffer, 0, n);
    }
    check.finish();
    return check.bytes;
  }

  /**
   * Maps a snapshot file's body ({@link SnapshotBody}). {@code checked} says this process checked the file
   * already ({@link #receive} or {@link #write} put it in place): a second pass over a large snapshot is what
   * a new replica waits for. Otherwise its checksum is verified first.
   */
  public static SnapshotBody map(Path file, boolean checked) throws IOException {
    return map(file, checked, WINDOW_BYTES, WINDOW_OVERLAP_BYTES);
  }

  static SnapshotBody map(Path file, boolean checked, long windowBytes, int overlapBytes) throws IOException {
    List<ByteBuffer> windows = new ArrayList<>();
    long size;
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      size = channel.size();
      if (size < Integer.BYTES + TRAILER) {
        throw new CorruptSnapshotException(file + " is too short to be a snapshot (" + size + " bytes)");
      }
      for (long start = 0; start < size; start += windowBytes) {
        windows.add(channel.map(FileChannel.MapMode.READ_ONLY, start, Math.min(windowBytes + overlapBytes, size - start)));
      }
    }
    long bodyEnd = size - TRAILER;
    if (!checked) {
      CRC32C crc = new CRC32C();
      for (int i = 0; i < windows.size() && i * windowBytes < bodyEnd; i++) {
        crc.update(windows.get(i).slice(0, (int) (Math.min(bodyEnd, (i + 1) * windowBytes) - i * windowBytes)));
      }
      SnapshotBody trailer = new SnapshotBody(windows, windowBytes, bodyEnd, size, file.toString());
      long stored = trailer.readLong();
      if (stored != crc.getValue()) {
        throw new CorruptSnapshotException("checksum mismatch in " + file + ": stored " + Long.toHexString(stored)
            + ", computed " + Long.toHexString(crc.getValue()));
      }
    }
    int magic = windows.get(0).getInt(0);
    if (magic != MAGIC) {
      throw new CorruptSnapshotException(file + " is not a vshard snapshot (magic " + Integer.toHexString(magic) + ")");
    }
    return new SnapshotBody(windows, windowBytes, Integer.BYTES, bodyEnd, file.toString());
  }

  private static FileChannel create(Path file) throws IOException {
    return FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
  }

  /** The rename, then the directory's fsync: the new name must be on disk before the caller reports the snapshot. */
  private static void moveDurably(Path tmp, Path target) throws IOException {
    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    try (FileChannel directory = FileChannel.open(target.toAbsolutePath().getParent(), StandardOpenOption.READ)) {
      directory.force(true);
    }
  }

  private static Path temporary(Path target) {
    return target.resolveSibling(target.getFileName() + ".tmp");
  }

  /**
   * The checksum of a stream whose last 8 bytes are the checksum of the rest: all but the latest 8 bytes go
   * to the CRC, so the trailer is known only once the stream has ended.
   */
  private static final class Check {
    private final String what;
    private final CRC32C crc = new CRC32C();
    private final byte[] tail = new byte[TRAILER];
    private int tailLength;
    private long bytes;

    Check(String what) {
      this.what = what;
    }

    void update(byte[] chunk, int length) {
      bytes += length;
      int settled = tailLength + length - TRAILER; // bytes now known not to be part of the trailer
      if (settled <= 0) {
        System.arraycopy(chunk, 0, tail, tailLength, length);
        tailLength += length;
        return;
      }
      int fromTail = Math.min(tailLength, settled);
      crc.update(tail, 0, fromTail);
      int fromChunk = settled - fromTail;
      crc.update(chunk, 0, fromChunk);
      int keptFromTail = tailLength - fromTail;
      System.arraycopy(tail, fromTail, tail, 0, keptFromTail);
      System.arraycopy(chunk, fromChunk, tail, keptFromTail, length - fromChunk);
      tailLength = TRAILER;
    }

    void finish() throws CorruptSnapshotException {
      if (bytes < Integer.BYTES + TRAILER) {
        throw new CorruptSnapshotException(what + " is too short to be a snapshot (" + bytes + " bytes)");
      }
      long stored = ByteBuffer.wrap(tail).getLong();
      long computed = crc.getValue();
      if (stored != computed) {
        throw new CorruptSnapshotException("checksum mismatch in " + what + ": stored "
            + Long.toHexString(stored) + ", computed " + Long.toHexString(computed));
      }
    }
  }

  /** A snapshot whose content does not match its checksum (or format). */
  public static final class CorruptSnapshotException extends IOException {
    public CorruptSnapshotException(String message) {
      super(message);
    }
  }
}
