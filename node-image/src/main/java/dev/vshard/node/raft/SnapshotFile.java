package dev.vshard.node.raft;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.zip.CRC32C;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;

/**
 * The on-disk snapshot format: {@code magic, body..., crc32c(magic+body)}. Written to a temporary file and
 * moved into place, so a crash never leaves a half snapshot under the real name; verified before loading,
 * so a corrupted or truncated file is refused instead of silently loading partial state.
 */
public final class SnapshotFile {
  private static final int MAGIC = 0x56534e31; // "VSN1"

  @FunctionalInterface
  public interface BodyWriter {
    void write(DataOutputStream out) throws IOException;
  }

  @FunctionalInterface
  public interface BodyReader {
    void read(DataInputStream in) throws IOException;
  }

  private SnapshotFile() {
  }

  public static void write(Path target, BodyWriter body) throws IOException {
    Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
    try (OutputStream file = Files.newOutputStream(tmp);
         BufferedOutputStream buffered = new BufferedOutputStream(file, 1 << 16)) {
      CheckedOutputStream checked = new CheckedOutputStream(buffered, new CRC32C());
      DataOutputStream data = new DataOutputStream(checked);
      data.writeInt(MAGIC);
      body.write(data);
      data.flush();
      new DataOutputStream(buffered).writeLong(checked.getChecksum().getValue());
    }
    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /** Throws {@link CorruptSnapshotException} unless the trailer matches the content. */
  public static void verify(Path file) throws IOException {
    long size = Files.size(file);
    if (size < 12) {
      throw new CorruptSnapshotException(file + " is too short to be a snapshot (" + size + " bytes)");
    }
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
      CheckedInputStream checked = new CheckedInputStream(in, new CRC32C());
      long remaining = size - 8;
      byte[] buffer = new byte[1 << 16];
      while (remaining > 0) {
        int n = checked.read(buffer, 0, (int) Math.min(buffer.length, remaining));
        if (n < 0) {
          throw new CorruptSnapshotException(file + " ended early");
        }
        remaining -= n;
      }
      long expected = new DataInputStream(in).readLong();
      long actual = checked.getChecksum().getValue();
      if (expected != actual) {
        throw new CorruptSnapshotException("checksum mismatch in " + file + ": stored "
            + Long.toHexString(expected) + ", computed " + Long.toHexString(actual));
      }
    }
  }

  /** Verifies, then reads the body. */
  public static void read(Path file, BodyReader body) throws IOException {
    verify(file);
    try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
      int magic = in.readInt();
      if (magic != MAGIC) {
        throw new CorruptSnapshotException(file + " is not a vshard snapshot (magic " + Integer.toHexString(magic) + ")");
      }
      body.read(in);
    }
  }

  /** A snapshot whose content does not match its checksum (or format). */
  public static final class CorruptSnapshotException extends IOException {
    public CorruptSnapshotException(String message) {
      super(message);
    }
  }
}
