package dev.vshard.node.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftGroupMemberId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.junit.jupiter.api.Test;

class WriteBatcherTest {
  /** A lane deeper than the node's, so writes in flight side by side are seen too. */
  private static final int SLOTS = 3;

  /** Entries handed to Raft, each completed by the test. */
  private final List<Message> entries = new ArrayList<>();
  private final List<CompletableFuture<RaftClientReply>> replies = new ArrayList<>();
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

  private WriteBatcher batcher(int maxCommands) {
    return new WriteBatcher(recording(), maxCommands, SLOTS, meters);
  }

  private WriteBatcher.Submitter recording() {
    return (v, entry) -> {
      entries.add(entry);
      CompletableFuture<RaftClientReply> reply = new CompletableFuture<>();
      replies.add(reply);
      return reply;
    };
  }

  @Test
  void atTheNodesDepthOfOneAWriteLeavesAloneWhenNothingReplicatesAndTheRestLeaveTogetherAfterIt() {
    WriteBatcher batcher = new WriteBatcher(recording(), 256, meters);
    var first = batcher.submit(5, KvCommand.put("a", new byte[] {1}));
    assertThat(entries).as("nothing replicating: at once, alone").hasSize(1);
    fillLane(batcher, 5, 4);
    assertThat(entries).as("one entry replicating: the rest wait").hasSize(1);
    replies.get(0).complete(reply(new byte[] {0}, 7));
    assertThat(first.join().reply().getLogIndex()).isEqualTo(7);
    assertThat(entries).as("its completion let the queue leave, as one entry").hasSize(2);
    assertThat(KvBatch.decode(entries.get(1).getContent())).as("the four that waited, in one entry").hasSize(4);
  }

  @Test
  void writesArrivingWhileTheLaneIsFullLeaveTogetherAsOneEntry() {
    WriteBatcher batcher = batcher(256);
    var first = batcher.submit(3, KvCommand.put("a", new byte[] {1}));
    var second = batcher.submit(3, KvCommand.put("b", new byte[] {2}));
    fillLane(batcher, 3, SLOTS - 2);
    var queued1 = batcher.submit(3, KvCommand.delete("a"));
    var queued2 = batcher.submit(3, KvCommand.put("c", new byte[] {3}));
    assertThat(entries).as("a full lane: the later writes wait").hasSize(SLOTS);

    replies.get(0).complete(reply(new byte[] {0}, 11));
    assertThat(first.join().position()).isZero();
    assertThat(entries).hasSize(SLOTS + 1);
    List<KvCommand> batch = KvBatch.decode(entries.get(SLOTS).getContent());
    assertThat(batch).extracting(KvCommand::key).containsExactly("a", "c");
    assertThat(batch.get(0).op()).isEqualTo(KvCommand.Op.DELETE);

    replies.get(SLOTS).complete(reply(new byte[] {1, 0}, 13));
    assertThat(queued1.join().deleted()).isTrue();
    assertThat(queued1.join().reply().getLogIndex()).isEqualTo(13);
    assertThat(queued2.join().position()).isEqualTo(1);
    assertThat(second).isNotDone();
    assertThat(meters.find("vshard_kv_writes_per_entry").summary().max()).isEqualTo(2);
  }

  @Test
  void aFailedEntryFailsEveryWriteItCarriedAndTheLaneKeepsGoing() {
    WriteBatcher batcher = batcher(256);
    batcher.submit(1, KvCommand.put("a", new byte[] {1}));
    batcher.submit(1, KvCommand.put("b", new byte[] {1}));
    fillLane(batcher, 1, SLOTS - 2);
    var x = batcher.submit(1, KvCommand.put("x", new byte[] {1}));
    var y = batcher.submit(1, KvCommand.put("y", new byte[] {1}));
    var later = batcher.submit(1, KvCommand.put("z", new byte[] {1}));
    replies.get(0).completeExceptionally(new IOException("division closed"));
    assertThat(x).as("queued writes are not failed by an entry they were not in").isNotDone();
    replies.get(1).complete(reply(new byte[] {0}, 5));
    assertThat(KvBatch.decode(entries.get(SLOTS).getContent())).extracting(KvCommand::key).containsExactly("x", "y", "z");
    replies.get(SLOTS).completeExceptionally(new IOException("not leader"));
    assertThatThrownBy(x::join).isInstanceOf(CompletionException.class).hasRootCauseMessage("not leader");
    assertThat(x).isCompletedExceptionally();
    assertThat(y).isCompletedExceptionally();
    assertThat(later).isCompletedExceptionally();
  }

  @Test
  void withALimitOfOneEveryWriteIsItsOwnEntryAndNothingWaits() {
    WriteBatcher batcher = batcher(1);
    for (int i = 0; i < 5; i++) {
      batcher.submit(2, KvCommand.put("k" + i, new byte[] {1}));
    }
    assertThat(entries).hasSize(5);
    assertThat(entries).allSatisfy(e -> assertThat(KvBatch.decode(e.getContent())).hasSize(1));
  }

  @Test
  void lanesOfDifferentVShardsDoNotWaitForEachOther() {
    WriteBatcher batcher = batcher(256);
    for (int v = 0; v < 4; v++) {
      fillLane(batcher, v, SLOTS);
    }
    assertThat(entries).hasSize(4 * SLOTS);
  }

  @Test
  void batchCodecRefusesMalformedInput() {
    assertThatThrownBy(() -> KvBatch.decode(ByteString.copyFrom(new byte[] {KvBatch.MARKER, 0, 0, 0, 2, 0, 0, 0, 9})))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bad length 9");
    assertThatThrownBy(() -> KvBatch.decode(KvBatch.encode(List.of(KvCommand.get("k"))).getContent()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("GET is a read");
    assertThatThrownBy(() -> KvBatch.decode(ByteString.copyFromUtf8("xyz"))).isInstanceOf(IllegalArgumentException.class);
    List<KvCommand> roundTrip = KvBatch.decode(KvBatch.encode(List.of(KvCommand.put("k", new byte[] {7, 8}), KvCommand.delete("j"))).getContent());
    assertThat(roundTrip.get(0).value()).containsExactly(7, 8);
    assertThat(roundTrip.get(1)).isEqualTo(KvCommand.delete("j"));
  }

  private static void fillLane(WriteBatcher batcher, int vshard, int writes) {
    for (int i = 0; i < writes; i++) {
      batcher.submit(vshard, KvCommand.put("fill-" + i, new byte[] {1}));
    }
  }

  private static RaftClientReply reply(byte[] results, long index) {
    return RaftClientReply.newBuilder().setClientId(ClientId.randomId())
        .setServerId(RaftGroupMemberId.valueOf(RaftPeerId.valueOf("n"), RaftGroupId.randomId()))
        .setCallId(1).setSuccess(true).setLogIndex(index).setMessage(Message.valueOf(ByteString.copyFrom(results))).build();
  }
}
