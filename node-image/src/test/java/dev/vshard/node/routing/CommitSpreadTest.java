package dev.vshard.node.routing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;
import org.junit.jupiter.api.Test;

/**
 * {@link RaftMetadataService#latest} on a replica that trails the leader appends one
 * {@link MetadataCommand.SpreadCommit} (shared by callers that trail together), and none when it is current.
 * The leader read and the submit are plain functions here; a real cluster runs it in every admin call.
 */
class CommitSpreadTest {
  private final ObjectMapper json = new ObjectMapper().findAndRegisterModules();
  private final List<MetadataCommand> submitted = new CopyOnWriteArrayList<>();
  private final List<CompletableFuture<RaftClientReply>> pendingSubmits = new CopyOnWriteArrayList<>();
  private final AtomicLong leaderIndex = new AtomicLong();
  private final RaftMetadataService metadata = new RaftMetadataService("c", json, message -> {
    try {
      submitted.add(json.readValue(message.getContent().toByteArray(), MetadataCommand.class));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    CompletableFuture<RaftClientReply> reply = new CompletableFuture<>();
    pendingSubmits.add(reply);
    return reply;
  }, message -> CompletableFuture.completedFuture(reply(ByteBuffer.allocate(Long.BYTES).putLong(leaderIndex.get()).array())));

  @Test
  void aTrailingReplicaSpreadsTheCommitOnceAndCatchesUp() {
    metadata.onAppliedIndex(4);
    leaderIndex.set(5);

    CompletableFuture<RoutingTable> first = metadata.latest();
    CompletableFuture<RoutingTable> second = metadata.latest();
    assertThat(first).isNotDone();
    assertThat(second).isNotDone();
    assertThat(submitted).containsExactly(new MetadataCommand.SpreadCommit());

    metadata.onAppliedIndex(5);
    assertThat(first).isCompleted();
    assertThat(second).isCompleted();

    pendingSubmits.get(0).complete(reply(tableReply()));
    leaderIndex.set(7);
    CompletableFuture<RoutingTable> later = metadata.latest();
    assertThat(submitted).as("a new spread once the first one ended").hasSize(2);
    metadata.onAppliedIndex(7);
    assertThat(later).isCompleted();
  }

  @Test
  void aCurrentReplicaAppendsNothing() {
    metadata.onAppliedIndex(9);
    leaderIndex.set(9);
    assertThat(metadata.latest()).isCompleted();
    assertThat(submitted).isEmpty();
  }

  @Test
  void spreadingChangesNoTable() {
    RoutingTable table = RoutingTable.empty("c");
    assertThat(RoutingTransitions.apply(table, new MetadataCommand.SpreadCommit())).isSameAs(table);
  }

  private byte[] tableReply() {
    try {
      return json.writeValueAsBytes(json.createObjectNode().set("table", json.valueToTree(RoutingTable.empty("c"))));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static RaftClientReply reply(byte[] content) {
    return RaftClientReply.newBuilder().setClientId(ClientId.randomId()).setServerId(RaftPeerId.valueOf("leader"))
        .setGroupId(RaftGroupId.randomId()).setCallId(1).setSuccess()
        .setMessage(Message.valueOf(UnsafeByteOperations.unsafeWrap(content))).build();
  }
}
