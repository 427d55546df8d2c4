package dev.vshard.node.kv;

import dev.vshard.node.raft.FileSnapshotStateMachine;
import dev.vshard.node.raft.SnapshotBody;
import dev.vshard.node.raft.SnapshotFile;
import dev.vshard.node.raft.SnapshotPolicy;
import dev.vshard.node.raft.SnapshotSource;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.BiConsumer;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroupMemberId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;

/**
 * The replicated map of one vShard (key -> bytes). Applies PUT/DELETE from the log, answers GET queries,
 * snapshots the whole map with a checksum, and keeps its own {@link ReplicaStats}.
 */
public final class KvStateMachine extends FileSnapshotStateMachine {
  private static final int COPY_CHUNK = 64 * 1024;
  private static final Message ABSENT = Message.valueOf(UnsafeByteOperations.unsafeWrap(new byte[] {0}));

  private final int vshard;
  /**
   * Values written since the latest load are on the heap; those loaded from a snapshot stay slices of the
   * mapped file ({@link SnapshotBody}). Read with absolute gets only: readers share the buffers.
   */
  private final FreezableMap data = new FreezableMap();
  /** Keys' characters and values' bytes in {@link #data}: about what a snapshot writes. Changed on the apply thread. */
  private volatile long stateBytes;
  private final BiConsumer<Integer, String> leaderChanged;

  /** @param leaderChanged told (vshard, new leader id) whenever this replica learns of a new leader */
  public KvStateMachine(int vshard, SnapshotSource snapshotSource, Executor snapshotWrites, SnapshotPolicy policy,
                        BiConsumer<Integer, String> leaderChanged) {
    super(snapshotSource, snapshotWrites, policy);
    this.vshard = vshard;
    this.leaderChanged = leaderChanged;
  }

  public int vshard() {
    return vshard;
  }

  /**
   * Validation at the leader, before the entry is appended: only a well-formed {@link KvBatch} of PUT/DELETE
   * commands reaches the log (every write travels in one, see {@link WriteBatcher}).
   */
  @Override
  public TransactionContext startTransaction(RaftClientRequest request) throws IOException {
    List<KvCommand> commands;
    try {
      commands = KvBatch.decode(request.getMessage().getContent());
    } catch (IllegalArgumentException e) {
      throw new IOException("invalid key-value command: " + e.getMessage(), e);
    }
    // the leader applies what it validated: its own transaction comes back to applyTransaction
    return super.startTransaction(request).setStateMachineContext(new Decoded(commands));
  }

  /** The commands {@link #startTransaction} decoded, kept with the leader's transaction. */
  private record Decoded(List<KvCommand> commands) {
  }

  @Override
  public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
    LogEntryProto entry = trx.getLogEntry();
    List<KvCommand> commands = trx.getStateMachineContext() instanceof Decoded decoded
        ? decoded.commands() : KvBatch.decode(entry.getStateMachineLogEntry().getLogData());
    byte[] results = new byte[commands.size()];
    for (int i = 0; i < results.length; i++) {
      results[i] = apply(commands.get(i));
    }
    countEntryBytes(entry.getSerializedSize());
    updateLastAppliedTermIndex(entry.getTerm(), entry.getIndex());
    return CompletableFuture.completedFuture(Message.valueOf(UnsafeByteOperations.unsafeWrap(results)));
  }

  /** @return 1 when a DELETE removed a key, else 0 */
  private byte apply(KvCommand command) {
    if (command.op() == KvCommand.Op.PUT) {
      ByteBuffer old = data.put(command.key(), ByteBuffer.wrap(command.value()));
      long replaced = old == null ? 0 : command.key().length() + old.remaining();
      stateBytes += command.key().length() + command.value().length - replaced;
      return 0;
    }
    ByteBuffer removed = data.remove(command.key());
    if (removed == null) {
      return 0;
    }
    stateBytes -= command.key().length() + removed.remaining();
    return 1;
  }

  /** GET: reply is {@code 0} (absent) or {@code 1} followed by the value. */
  @Override
  public CompletableFuture<Message> query(Message request) {
    KvCommand command = KvCommand.decode(request.getContent());
    ByteBuffer value = data.get(command.key());
    if (value == null) {
      return CompletableFuture.completedFuture(ABSENT);
    }
    byte[] reply = new byte[1 + value.remaining()];
    reply[0] = 1;
    value.get(0, reply, 1, value.remaining());
    return CompletableFuture.completedFuture(Message.valueOf(UnsafeByteOperations.unsafeWrap(reply)));
  }

  /** Decodes a {@link #query} reply. */
  public static Optional<byte[]> decodeGetReply(Message reply) {
    byte[] bytes = reply.getContent().toByteArray();
    if (bytes.length == 0 || bytes[0] == 0) {
      return Optional.empty();
    }
    byte[] value = new byte[bytes.length - 1];
    System.arraycopy(bytes, 1, value, 0, value.length);
    return Optional.of(value);
  }

  @Override
  protected Optional<Message> emptyEntry() {
    return Optional.of(KvBatch.EMPTY);
  }

  @Override
  public void notifyLeaderChanged(RaftGroupMemberId groupMemberId, RaftPeerId newLeaderId) {
    if (newLeaderId != null) {
      leaderChanged.accept(vshard, newLeaderId.toString());
    }
  }

  /** The keys and values as of now, set aside in constant time ({@link FreezableMap}); values never change in place. */
  @Override
  protected SnapshotFile.BodyWriter freezeState() {
    return new FrozenEntries(vshard, data.freeze());
  }

  /** The snapshot body: the vShard, the count, then each key (as {@code writeUTF}), value length and value. */
  private record FrozenEntries(int vshard, FreezableMap.Frozen frozen) implements SnapshotFile.BodyWriter {
    @Override
    public boolean sizeKnownAhead() {
      return true;
    }

    @Override
    public long bodyBytes() {
      long bytes = 2L * Integer.BYTES;
      for (Map.Entry<String, ByteBuffer> e : frozen.entries()) {
        bytes += Short.BYTES + modifiedUtf8Length(e.getKey()) + Integer.BYTES + e.getValue().remaining();
      }
      return bytes;
    }

    /** What {@link DataOutputStream#writeUTF} writes for {@code s}, without its 2-byte length. */
    private static long modifiedUtf8Length(String s) {
      long length = s.length();
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        if (c == 0 || c >= 0x80) {
          length += c >= 0x800 ? 2 : 1;
        }
      }
      return length;
    }

    @Override
    public void write(DataOutputStream out) throws IOException {
      out.writeInt(vshard);
      out.writeInt(frozen.count());
      byte[] chunk = new byte[COPY_CHUNK];
      int written = 0;
      for (Map.Entry<String, ByteBuffer> e : frozen.entries()) {
        ByteBuffer value = e.getValue();
        out.writeUTF(e.getKey());
        out.writeInt(value.remaining());
        written++;
        if (value.hasArray()) {
          out.write(value.array(), value.arrayOffset(), value.remaining());
          continue;
        }
        for (int at = 0; at < value.remaining(); at += chunk.length) {
          int n = Math.min(chunk.length, value.remaining() - at);
          value.get(at, chunk, 0, n);
          out.write(chunk, 0, n);
        }
      }
      if (written != frozen.count()) {
        throw new IOException("vShard " + vshard + ": " + written + " entries written where " + frozen.count() + " were frozen");
      }
    }

    @Override
    public void release() {
      frozen.release();
    }
  }

  @Override
  protected void readState(SnapshotBody body) throws IOException {
    int storedVshard = body.readInt();
    if (storedVshard != vshard) {
      throw new IOException("snapshot of vShard " + storedVshard + " offered to vShard " + vshard);
    }
    int count = body.readInt();
    long bytes = 0;
    for (int i = 0; i < count; i++) {
      String key = body.readUTF();
      ByteBuffer value = body.slice(body.readInt());
      data.put(key, value);
      bytes += key.length() + value.remaining();
    }
    stateBytes = bytes;
  }

  @Override
  protected void clearState() {
    data.clear();
    stateBytes = 0;
  }

  @Override
  protected long stateBytes() {
    return stateBytes;
  }

  public long keyCount() {
    return data.size();
  }

  /** Reads the local copy directly (no Raft round): for tests and diagnostics, not for the data API. */
  public Optional<byte[]> localValue(String key) {
    return Optional.ofNullable(data.get(key)).map(value -> {
      byte[] copy = new byte[value.remaining()];
      value.get(0, copy);
      return copy;
    });
  }

  public ReplicaStats stats(String node) {
    Optional<RaftServer.Division> division = division();
    String role = division.map(d -> d.getInfo().getCurrentRole().name()).orElse("UNKNOWN");
    String lifecycle = division.map(d -> d.getInfo().getLifeCycleState().name()).orElse("UNKNOWN");
    long applied = getLastAppliedTermIndex() == null ? -1 : getLastAppliedTermIndex().getIndex();
    return new ReplicaStats(vshard, node, role, lifecycle, applied, snapshotInstalled(), installedSnapshotIndex(),
        bytesReceived(), keyCount());
  }
}
