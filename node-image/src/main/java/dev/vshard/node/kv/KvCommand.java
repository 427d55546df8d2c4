package dev.vshard.node.kv;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;

/**
 * A key-value operation as it travels in a Raft log entry or read request:
 * {@code op(1 byte), keyLength(int), key(UTF-8), value(rest, PUT only)}. Binary so a 1 KB put costs ~1 KB.
 */
public record KvCommand(Op op, String key, byte[] value) {
  public enum Op { PUT, DELETE, GET }

  public static KvCommand put(String key, byte[] value) {
    return new KvCommand(Op.PUT, key, value);
  }

  public static KvCommand delete(String key) {
    return new KvCommand(Op.DELETE, key, null);
  }

  public static KvCommand get(String key) {
    return new KvCommand(Op.GET, key, null);
  }

  public Message toMessage() {
    return Message.valueOf(UnsafeByteOperations.unsafeWrap(encode()));
  }

  /** The command's bytes, as {@link #decode} reads them. */
  public byte[] encode() {
    byte[] keyBytes = key.getBytes(StandardCharsets.UTF_8);
    ByteBuffer buffer = ByteBuffer.allocate(encodedLength(keyBytes));
    writeTo(buffer, keyBytes);
    return buffer.array();
  }

  /** Bytes {@link #writeTo} puts, given the key's UTF-8 bytes. */
  int encodedLength(byte[] keyBytes) {
    return 1 + 4 + keyBytes.length + (value == null ? 0 : value.length);
  }

  /** Writes the command into {@code buffer} (a batch writes its commands in place, without a copy each). */
  void writeTo(ByteBuffer buffer, byte[] keyBytes) {
    buffer.put((byte) op.ordinal()).putInt(keyBytes.length).put(keyBytes);
    if (value != null) {
      buffer.put(value);
    }
  }

  /** Decodes a command; {@link IllegalArgumentException} for anything malformed. */
  public static KvCommand decode(ByteString bytes) {
    return decode(bytes.asReadOnlyByteBuffer());
  }

  /** Decodes a command that fills the rest of {@code buffer}. */
  static KvCommand decode(ByteBuffer buffer) {
    if (buffer.remaining() < 5) {
      throw new IllegalArgumentException("key-value command too short: " + buffer.remaining() + " bytes");
    }
    int opIndex = buffer.get();
    if (opIndex < 0 || opIndex >= Op.values().length) {
      throw new IllegalArgumentException("unknown key-value operation " + opIndex);
    }
    int keyLength = buffer.getInt();
    if (keyLength <= 0 || keyLength > buffer.remaining()) {
      throw new IllegalArgumentException("bad key length " + keyLength);
    }
    byte[] keyBytes = new byte[keyLength];
    buffer.get(keyBytes);
    Op op = Op.values()[opIndex];
    byte[] value = null;
    if (op == Op.PUT) {
      value = new byte[buffer.remaining()];
      buffer.get(value);
    }
    return new KvCommand(op, new String(keyBytes, StandardCharsets.UTF_8), value);
  }
}
