package dev.vshard.node.kv;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;

/**
 * The PUT/DELETE commands carried by one Raft log entry; every write entry is one, of one or more commands
 * (group commit, see {@link WriteBatcher}): {@code MARKER(1 byte), count(int), then per command:
 * length(int), command bytes}. The state machine answers with one byte per command: {@code 1} when a
 * DELETE removed a key. A batch of no commands ({@link #EMPTY}) is an entry that changes nothing.
 */
public final class KvBatch {
  static final byte MARKER = 0x7F;
  public static final int MAX_COMMANDS = 100_000;
  public static final Message EMPTY = encode(List.of());

  private KvBatch() {
  }

  public static Message encode(List<KvCommand> commands) {
    List<byte[]> keys = new ArrayList<>(commands.size());
    int size = 1 + 4;
    for (KvCommand command : commands) {
      byte[] key = command.key().getBytes(StandardCharsets.UTF_8);
      keys.add(key);
      size += 4 + command.encodedLength(key);
    }
    ByteBuffer buffer = ByteBuffer.allocate(size).put(MARKER).putInt(commands.size());
    for (int i = 0; i < commands.size(); i++) {
      KvCommand command = commands.get(i);
      buffer.putInt(command.encodedLength(keys.get(i)));
      command.writeTo(buffer, keys.get(i));
    }
    return Message.valueOf(UnsafeByteOperations.unsafeWrap(buffer.array()));
  }

  /** Decodes a batch; {@link IllegalArgumentException} for anything malformed, including a GET inside. */
  public static List<KvCommand> decode(ByteString bytes) {
    ByteBuffer buffer = bytes.asReadOnlyByteBuffer();
    if (buffer.remaining() < 5 || buffer.get() != MARKER) {
      throw new IllegalArgumentException("not a key-value batch");
    }
    int count = buffer.getInt();
    if (count < 0 || count > MAX_COMMANDS) {
      throw new IllegalArgumentException("bad batch size " + count);
    }
    List<KvCommand> commands = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      if (buffer.remaining() < 4) {
        throw new IllegalArgumentException("batch truncated at command " + i + " of " + count);
      }
      int length = buffer.getInt();
      if (length <= 0 || length > buffer.remaining()) {
        throw new IllegalArgumentException("bad length " + length + " of batch command " + i);
      }
      ByteBuffer slice = buffer.slice();
      slice.limit(length);
      buffer.position(buffer.position() + length);
      KvCommand command = KvCommand.decode(slice);
      if (command.op() == KvCommand.Op.GET) {
        throw new IllegalArgumentException("GET is a read, not a write (batch command " + i + ")");
      }
      commands.add(command);
    }
    if (buffer.hasRemaining()) {
      throw new IllegalArgumentException(buffer.remaining() + " bytes after the last batch command");
    }
    return commands;
  }
}
