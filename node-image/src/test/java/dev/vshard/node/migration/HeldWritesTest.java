package dev.vshard.node.migration;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class HeldWritesTest {

  @Test
  void writesPassWhenNothingIsHeld() {
    HeldWrites gate = new HeldWrites();
    assertThat(gate.awaitOpen(3)).isCompleted();
    assertThat(gate.release(3)).isEmpty();
  }

  @Test
  void heldWritesWaitUntilReleaseAndThePauseStartsAtTheFirstOne() {
    HeldWrites gate = new HeldWrites();
    gate.hold(3);
    assertThat(gate.heldMicros(3)).isZero();
    CompletableFuture<Void> first = gate.awaitOpen(3);
    CompletableFuture<Void> second = gate.awaitOpen(3);
    assertThat(gate.awaitOpen(4)).as("other vShards are not held").isCompleted();
    assertThat(first).isNotDone();
    assertThat(second).isNotDone();

    var pause = gate.release(3);
    assertThat(first).isCompleted();
    assertThat(second).isCompleted();
    assertThat(pause).isPresent();
    assertThat(pause.getAsLong()).isGreaterThanOrEqualTo(0);
    assertThat(gate.isHeld(3)).isFalse();
  }

  @Test
  void aHoldWithoutWritesReportsNoPause() {
    HeldWrites gate = new HeldWrites();
    gate.hold(1);
    gate.hold(1);
    assertThat(gate.release(1)).isEmpty();
  }
}
