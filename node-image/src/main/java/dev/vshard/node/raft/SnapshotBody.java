package dev.vshard.node.raft;

import dev.vshard.node.raft.SnapshotFile.CorruptSnapshotException;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The body of a snapshot file, mapped into memory read-only and read front to back. What {@link #slice}
 * returns stays backed by the file: a state machine can keep it as a value, so loading a 100 MB snapshot
 * parses the headers and copies nothing (a heap copy took 130-280 ms and a garbage collector's worth of
 * copying again; a new replica waits for that load). The mapping outlives the file's name: a later
 * snapshot may delete it, and the kernel keeps its content until the last slice is collected.
 * <p>
 * A mapping holds at most 2 GB, so a larger file is mapped in windows that start every {@code windowBytes}
 * and reach {@code overlapBytes} past the next start: any record shorter than the overlap that starts in a
 * window lies wholly in it.
 */
public final class SnapshotBody {
  private final List<ByteBuffer> windows;
  private final long windowBytes;
  private final long end;
  private final String what;
  private long position;

  SnapshotBody(List<ByteBuffer> windows, long windowBytes, long start, long end, String what) {
    this.windows = windows;
    this.windowBytes = windowBytes;
    this.position = start;
    this.end = end;
    this.what = what;
  }

  public boolean hasRemaining() {
    return position < end;
  }

  public int readInt() throws CorruptSnapshotException {
    return take(Integer.BYTES).getInt(0);
  }

  public long readLong() throws CorruptSnapshotException {
    return take(Long.BYTES).getLong(0);
  }

  /** A string as {@link java.io.DataOutput#writeUTF} wrote it. */
  public String readUTF() throws IOException {
    int length = Short.toUnsignedInt(take(Short.BYTES).getShort(0));
    byte[] bytes = new byte[length];
    take(length).get(0, bytes);
    for (byte b : bytes) {
      if (b < 0) { // beyond ASCII: modified UTF-8, which only DataInputStream decodes
        byte[] framed = ByteBuffer.allocate(Short.BYTES + length).putShort((short) length).put(bytes).array();
        return new DataInputStream(new ByteArrayInputStream(framed)).readUTF();
      }
    }
    return new String(bytes, StandardCharsets.ISO_8859_1);
  }

  /** The next {@code length} bytes, read-only and backed by the file. */
  public ByteBuffer slice(int length) throws CorruptSnapshotException {
    return take(length);
  }

  /** The rest of the body as a stream, for a state that is small and simpler to read that way. */
  public DataInputStream stream() {
    return new DataInputStream(new InputStream() {
      @Override
      public int read() throws IOException {
        return hasRemaining() ? Byte.toUnsignedInt(take(1).get(0)) : -1;
      }

      @Override
      public int read(byte[] into, int offset, int length) throws IOException {
        if (length == 0) {
          return 0;
        }
        if (!hasRemaining()) {
          return -1;
        }
        // to the end of the window the position is in, so a read never needs two windows
        long windowEnd = (position / windowBytes) * windowBytes + windowBytes;
        int n = (int) Math.min(length, Math.min(end, windowEnd) - position);
        take(n).get(0, into, offset, n);
        return n;
      }
    });
  }

  private ByteBuffer take(int length) throws CorruptSnapshotException {
    if (length < 0 || position + length > end) {
      throw new CorruptSnapshotException(what + ": a record of " + length + " bytes at offset " + position
          + " runs past the body's end at " + end);
    }
    int window = (int) (position / windowBytes);
    ByteBuffer mapped = windows.get(window);
    long offset = position - window * windowBytes;
    if (offset + length > mapped.limit()) {
      throw new CorruptSnapshotException(what + ": a record of " + length + " bytes at offset " + position
          + " is larger than a snapshot record can be");
    }
    position += length;
    return mapped.slice((int) offset, length);
  }
}
