package dev.vshard.node.migration;

import dev.vshard.node.kv.WriteGate;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The write gate of this node: while a cut-over holds vShard {@code v}, writes for it wait (they are
 * queued on an incomplete future, never failed) and the first one to arrive starts the pause clock.
 */
public final class HeldWrites implements WriteGate {
  private static final CompletableFuture<Void> OPEN = CompletableFuture.completedFuture(null);

  private final Map<Integer, Hold> holds = new ConcurrentHashMap<>();

  @Override
  public CompletableFuture<Void> awaitOpen(int vshard) {
    Hold hold = holds.get(vshard);
    if (hold == null) {
      return OPEN;
    }
    hold.firstHeldNanos.compareAndSet(0, System.nanoTime());
    hold.heldCount.incrementAndGet();
    return hold.release;
  }

  /** Starts holding writes for {@code vshard}; repeating it while held keeps the existing hold. */
  public void hold(int vshard) {
    holds.computeIfAbsent(vshard, v -> new Hold());
  }

  public boolean isHeld(int vshard) {
    return holds.containsKey(vshard);
  }

  /**
   * Lets the held writes go (the write path re-routes them) and returns how long the first of them waited,
   * in microseconds; empty when no write arrived while held (then nothing paused).
   */
  public OptionalLong release(int vshard) {
    Hold hold = holds.remove(vshard);
    if (hold == null) {
      return OptionalLong.empty();
    }
    hold.release.complete(null);
    long first = hold.firstHeldNanos.get();
    return first == 0 ? OptionalLong.empty() : OptionalLong.of((System.nanoTime() - first) / 1_000);
  }

  /** How long the oldest held write for {@code vshard} has waited so far, in microseconds (0 if none). */
  public long heldMicros(int vshard) {
    Hold hold = holds.get(vshard);
    long first = hold == null ? 0 : hold.firstHeldNanos.get();
    return first == 0 ? 0 : (System.nanoTime() - first) / 1_000;
  }

  private static final class Hold {
    final CompletableFuture<Void> release = new CompletableFuture<>();
    final AtomicLong firstHeldNanos = new AtomicLong();
    final AtomicLong heldCount = new AtomicLong();
  }
}
