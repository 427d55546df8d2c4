package dev.vshard.node.kv;

import dev.vshard.node.raft.FileSnapshotStateMachine;
import dev.vshard.node.raft.SnapshotSource;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
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
  private static final Message ABSENT = Message.valueOf(UnsafeByteOperations.unsafeWrap(new byte[] {0}));

  private final int vshard;
  private final Map<String, byte[]> data = new ConcurrentHashMap<>();
  private final BiConsumer<Integer, String> leaderChanged;

  /** @param leaderChanged told (vshard, new leader id) whenever this replica learns of a new leader */
  public KvStateMachine(int vshard, SnapshotSource snapshotSource, BiConsumer<Integer, String> leaderChanged) {
    super(snapshotSource);
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
      data.put(command.key(), command.value());
      return 0;
    }
    return (byte) (data.remove(command.key()) != null ? 1 : 0);
  }

  /** GET: reply is {@code 0} (absent) or {@code 1} followed by the value. */
  @Override
  public CompletableFuture<Message> query(Message request) {
    KvCommand command = KvCommand.decode(request.getContent());
    byte[] value = data.get(command.key());
    if (value == null) {
      return CompletableFuture.completedFuture(ABSENT);
    }
    ByteBuffer reply = ByteBuffer.allocate(1 + value.length).put((byte) 1).put(value);
    return CompletableFuture.completedFuture(Message.valueOf(UnsafeByteOperations.unsafeWrap(reply.array())));
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

  @Override
  protected void writeState(DataOutputStream out) throws IOException {
    out.writeInt(vshard);
    out.writeInt(data.size());
    for (Map.Entry<String, byte[]> e : data.entrySet()) {
      out.writeUTF(e.getKey());
      out.writeInt(e.getValue().length);
      out.write(e.getValue());
    }
  }

  @Override
  protected void readState(DataInputStream in) throws IOException {
    int storedVshard = in.readInt();
    if (storedVshard != vshard) {
      throw new IOException("snapshot of vShard " + storedVshard + " offered to vShard " + vshard);
    }
    int count = in.readInt();
    for (int i = 0; i < count; i++) {
      String key = in.readUTF();
      byte[] value = new byte[in.readInt()];
      in.readFully(value);
      data.put(key, value);
    }
  }

  @Override
  protected void clearState() {
    data.clear();
  }

  public long keyCount() {
    return data.size();
  }

  /** Reads the local copy directly (no Raft round): for tests and diagnostics, not for the data API. */
  public Optional<byte[]> localValue(String key) {
    return Optional.ofNullable(data.get(key));
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
