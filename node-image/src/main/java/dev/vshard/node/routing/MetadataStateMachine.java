package dev.vshard.node.routing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vshard.node.raft.FileSnapshotStateMachine;
import dev.vshard.node.raft.SnapshotBody;
import dev.vshard.node.raft.SnapshotFile;
import dev.vshard.node.raft.SnapshotPolicy;
import dev.vshard.node.raft.SnapshotSource;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The metadata group's state machine: applies {@link MetadataCommand}s to the {@link RoutingTable} through
 * {@link RoutingTransitions}. A rejected command changes nothing and its reply says why, identically on every
 * replica. The table and the last-applied index are published together after each entry.
 */
public final class MetadataStateMachine extends FileSnapshotStateMachine {
  private static final Logger LOG = LoggerFactory.getLogger(MetadataStateMachine.class);

  private final ObjectMapper json;
  private final Consumer<RoutingTable> onChange;
  private final LongConsumer onApplied;
  private final String clusterId;
  private volatile RoutingTable table;

  /**
   * @param onChange  gets each table this replica applies or loads
   * @param onApplied gets each index this replica applied (entries that change no table too: configuration
   *                  changes, a new leader's first entry), always after the table of that index
   */
  public MetadataStateMachine(String clusterId, ObjectMapper json, SnapshotSource snapshotSource, Executor snapshotWrites,
                              Consumer<RoutingTable> onChange, LongConsumer onApplied) {
    super(snapshotSource, snapshotWrites, SnapshotPolicy.DEFAULT); // the routing table is small: never deferred
    this.clusterId = clusterId;
    this.json = json;
    this.onChange = onChange;
    this.onApplied = onApplied;
    this.table = RoutingTable.empty(clusterId);
  }

  public RoutingTable table() {
    return table;
  }

  /** Refuses undecodable commands before they reach the log. */
  @Override
  public TransactionContext startTransaction(RaftClientRequest request) throws IOException {
    json.readValue(request.getMessage().getContent().toByteArray(), MetadataCommand.class);
    return super.startTransaction(request);
  }

  @Override
  public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
    LogEntryProto entry = trx.getLogEntry();
    ObjectNode reply = json.createObjectNode();
    try {
      MetadataCommand command = json.readValue(entry.getStateMachineLogEntry().getLogData().toByteArray(), MetadataCommand.class);
      table = RoutingTransitions.apply(table, command);
      reply.set("table", json.valueToTree(table));
    } catch (MetadataRejectedException e) {
      reply.putObject("rejected").put("code", e.code()).put("message", e.getMessage()).put("field", e.field());
    } catch (IOException e) {
      LOG.error("undecodable metadata entry {} skipped: {}", entry.getIndex(), e.toString());
      reply.putObject("rejected").put("code", "InvalidCommand").put("message", e.getMessage());
    }
    countEntryBytes(entry.getSerializedSize());
    onChange.accept(table);
    updateLastAppliedTermIndex(entry.getTerm(), entry.getIndex());
    try {
      return CompletableFuture.completedFuture(Message.valueOf(UnsafeByteOperations.unsafeWrap(json.writeValueAsBytes(reply))));
    } catch (IOException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  @Override
  protected boolean updateLastAppliedTermIndex(long term, long index) {
    boolean updated = super.updateLastAppliedTermIndex(term, index);
    onApplied.accept(index);
    return updated;
  }

  /** An empty query asks for the applied index (linearizable at the leader: the read barrier of {@code MetadataService.latest}). */
  @Override
  public CompletableFuture<Message> query(Message request) {
    if (request.getContent().isEmpty()) {
      byte[] index = ByteBuffer.allocate(Long.BYTES).putLong(getLastAppliedTermIndex().getIndex()).array();
      return CompletableFuture.completedFuture(Message.valueOf(UnsafeByteOperations.unsafeWrap(index)));
    }
    try {
      return CompletableFuture.completedFuture(Message.valueOf(UnsafeByteOperations.unsafeWrap(json.writeValueAsBytes(table))));
    } catch (IOException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  @Override
  protected SnapshotFile.BodyWriter freezeState() {
    RoutingTable frozen = table; // immutable
    return out -> {
      byte[] bytes = json.writeValueAsBytes(frozen);
      out.writeInt(bytes.length);
      out.write(bytes);
    };
  }

  @Override
  protected void readState(SnapshotBody body) throws IOException {
    DataInputStream in = body.stream();
    byte[] bytes = new byte[in.readInt()];
    in.readFully(bytes);
    table = json.readValue(bytes, RoutingTable.class);
    onChange.accept(table);
  }

  @Override
  protected void clearState() {
    table = RoutingTable.empty(clusterId);
  }
}
