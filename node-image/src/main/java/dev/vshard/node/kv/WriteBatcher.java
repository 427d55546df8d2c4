package dev.vshard.node.kv;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;

/**
 * Group commit at a vShard's leader. A write that finds none of its vShard's log entries in replication is
 * submitted at once, alone (no added latency when the load is light); writes that arrive while one is
 * replicating queue up and leave together, as one log entry, as soon as it completes. Why: each Raft round
 * (append, fsync, replicate to the followers, apply) costs about the same CPU whatever it carries, and on
 * 2 cores the CPU is the limit. Until session 20 a vShard kept up to 8 entries in replication, each write
 * alone until all 8 were taken; one at a time wrote 1.00x-1.14x as many puts/s at V 8 and 1.13x-1.37x at V 1
 * on the 3-process loopback cluster ({@code bench/alternate.sh}; docs/node-internals.md).
 * A batch is one entry, so it commits or fails as a whole; each write then gets its own answer.
 */
final class WriteBatcher {
  static final int IN_FLIGHT_PER_VSHARD = 1;
  private static final int MAX_BATCH_BYTES = 256 * 1024;

  /** Submits one log entry to the local division that leads the vShard. */
  interface Submitter {
    CompletableFuture<RaftClientReply> submit(int vshard, Message entry);
  }

  /** The reply to the entry that carried a write, and the write's place in it. */
  record Outcome(RaftClientReply reply, int position) {
    /** For a DELETE: whether it removed a key (the state machine answers a batch with a byte per command). */
    boolean deleted() {
      return reply.getMessage().getContent().byteAt(position) == 1;
    }
  }

  private record Pending(KvCommand command, int bytes, CompletableFuture<Outcome> outcome) {
  }

  private final Submitter submitter;
  private final int maxCommands;
  private final int inFlightPerVshard;
  private final DistributionSummary batchSizes;
  private final Map<Integer, Lane> lanes = new ConcurrentHashMap<>();

  /** @param maxCommands most writes per log entry; 1 turns group commit off (each write its own entry, no queue) */
  WriteBatcher(Submitter submitter, int maxCommands, MeterRegistry meters) {
    this(submitter, maxCommands, IN_FLIGHT_PER_VSHARD, meters);
  }

  /** @param inFlightPerVshard entries of one vShard in replication at once before its writes queue */
  WriteBatcher(Submitter submitter, int maxCommands, int inFlightPerVshard, MeterRegistry meters) {
    this.submitter = submitter;
    this.maxCommands = maxCommands;
    this.inFlightPerVshard = inFlightPerVshard;
    this.batchSizes = DistributionSummary.builder("vshard_kv_writes_per_entry")
        .description("writes carried by one Raft log entry (group commit)").register(meters);
  }

  CompletableFuture<Outcome> submit(int vshard, KvCommand command) {
    Pending pending = new Pending(command, command.key().length() + (command.value() == null ? 0 : command.value().length),
        new CompletableFuture<>());
    Lane lane = lanes.computeIfAbsent(vshard, Lane::new);
    List<Pending> batch;
    synchronized (lane) {
      lane.queue.add(pending);
      batch = lane.takeBatchIfRoom();
    }
    if (batch != null) {
      send(lane, batch);
    }
    return pending.outcome();
  }

  private void send(Lane lane, List<Pending> batch) {
    batchSizes.record(batch.size());
    CompletableFuture<RaftClientReply> replicated;
    try {
      replicated = submitter.submit(lane.vshard, KvBatch.encode(batch.stream().map(Pending::command).toList()));
    } catch (RuntimeException e) {
      replicated = CompletableFuture.failedFuture(e);
    }
    replicated.whenComplete((reply, failure) -> {
      List<Pending> next;
      synchronized (lane) {
        lane.inFlight--;
        next = lane.takeBatchIfRoom();
      }
      if (next != null) {
        send(lane, next);
      }
      for (int i = 0; i < batch.size(); i++) {
        if (failure != null) {
          batch.get(i).outcome().completeExceptionally(failure);
        } else {
          batch.get(i).outcome().complete(new Outcome(reply, i));
        }
      }
    });
  }

  /** The writes of one vShard waiting for a slot, and how many of its entries are in replication. */
  private final class Lane {
    final int vshard;
    final ArrayDeque<Pending> queue = new ArrayDeque<>();
    int inFlight;

    Lane(int vshard) {
      this.vshard = vshard;
    }

    /** Called holding the lane's lock: the next batch, if the queue has writes and a slot is free. */
    List<Pending> takeBatchIfRoom() {
      boolean groupCommit = maxCommands > 1;
      if (queue.isEmpty() || (groupCommit && inFlight >= inFlightPerVshard)) {
        return null;
      }
      List<Pending> batch = new ArrayList<>();
      int bytes = 0;
      while (!queue.isEmpty() && batch.size() < maxCommands
          && (batch.isEmpty() || bytes + queue.peek().bytes() <= MAX_BATCH_BYTES)) {
        Pending next = queue.poll();
        bytes += next.bytes();
        batch.add(next);
      }
      inFlight++;
      return batch;
    }
  }
}
