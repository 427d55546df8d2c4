package dev.vshard.node.ghost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GhostStoreTest {
  @TempDir
  Path dataDir;

  /** A clock the test moves by hand. */
  static final class ManualClock extends Clock {
    final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now.get();
    }

    void advance(Duration d) {
      now.updateAndGet(t -> t.plus(d));
    }
  }

  @Test
  void stubsAndTheirCountersSurviveAReopen() throws Exception {
    ManualClock clock = new ManualClock();
    GhostStore store = GhostStore.open(dataDir, clock);
    store.install(3, "node-3", 12);
    clock.advance(Duration.ofSeconds(5));
    store.recordForward(3);
    store.recordForward(3);

    GhostStore reopened = GhostStore.open(dataDir, clock);
    GhostStub stub = reopened.find(3).orElseThrow();
    assertThat(stub.newOwner()).isEqualTo("node-3");
    assertThat(stub.epoch()).isEqualTo(12);
    assertThat(stub.forwardedCount()).isEqualTo(2);
    assertThat(stub.lastUsed()).isEqualTo(stub.installedAt().plusSeconds(5));
    try (var files = Files.list(dataDir.resolve("ghosts"))) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("vshard-3.json");
    }
  }

  @Test
  void repeatedInstallKeepsCountersAndNewerEpochReplaces() throws Exception {
    GhostStore store = GhostStore.open(dataDir, new ManualClock());
    store.install(1, "a", 5);
    store.recordForward(1);
    assertThat(store.install(1, "a", 5).forwardedCount()).isEqualTo(1);
    GhostStub newer = store.install(1, "b", 9);
    assertThat(newer.newOwner()).isEqualTo("b");
    assertThat(newer.forwardedCount()).isZero();
    assertThat(store.list()).containsExactly(newer);
  }

  @Test
  void sweepRemovesOnlyStubsUnusedForTheTtl() throws Exception {
    ManualClock clock = new ManualClock();
    GhostStore store = GhostStore.open(dataDir, clock);
    store.install(1, "a", 2);
    store.install(2, "b", 3);
    clock.advance(Duration.ofMinutes(9));
    store.recordForward(2);
    clock.advance(Duration.ofMinutes(2));

    GhostSweeper sweeper = new GhostSweeper(store, Duration.ofMinutes(10), clock);
    assertThat(sweeper.sweepOnce()).extracting(GhostStub::vshard).containsExactly(1);
    assertThat(store.list()).extracting(GhostStub::vshard).containsExactly(2);
    assertThat(GhostStore.open(dataDir, clock).find(1)).isEmpty();
  }

  @Test
  void scheduledSweeperRemovesAnIdleStub() throws Exception {
    GhostStore store = GhostStore.open(dataDir, Clock.systemUTC());
    store.install(4, "c", 7);
    try (GhostSweeper sweeper = new GhostSweeper(store, Duration.ofMillis(300), Clock.systemUTC()).start()) {
      await().atMost(Duration.ofSeconds(10)).until(() -> store.find(4).isEmpty());
    }
    assertThat(Files.exists(dataDir.resolve("ghosts").resolve("vshard-4.json"))).isFalse();
  }
}
