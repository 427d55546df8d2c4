package dev.vshard.node.ghost;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Sweeps ghost stubs that nobody used for the TTL ({@code VSHARD_GHOST_TTL}) on a schedule. */
public final class GhostSweeper implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(GhostSweeper.class);
  private static final Duration MAX_PERIOD = Duration.ofSeconds(30);
  private static final Duration MIN_PERIOD = Duration.ofMillis(50);

  private final GhostStore store;
  private final Duration ttl;
  private final Clock clock;
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "ghost-sweeper");
    t.setDaemon(true);
    return t;
  });

  public GhostSweeper(GhostStore store, Duration ttl, Clock clock) {
    this.store = store;
    this.ttl = ttl;
    this.clock = clock;
  }

  /** Starts sweeping; the period is a quarter of the TTL so a stub outlives its TTL by at most 25%. */
  public GhostSweeper start() {
    long periodMillis = Math.max(MIN_PERIOD.toMillis(), Math.min(MAX_PERIOD.toMillis(), ttl.toMillis() / 4));
    scheduler.scheduleAtFixedRate(this::sweepOnce, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
    return this;
  }

  /** One sweep; errors are logged and the next tick tries again (a failing disk must not stop the node). */
  public List<GhostStub> sweepOnce() {
    try {
      List<GhostStub> swept = store.sweepUnusedSince(clock.instant().minus(ttl));
      swept.forEach(s -> LOG.info("swept ghost stub of vShard {} (unused since {}, forwarded {} requests)",
          s.vshard(), s.lastUsed(), s.forwardedCount()));
      return swept;
    } catch (RuntimeException e) {
      LOG.warn("ghost sweep failed; retrying on the next tick", e);
      return List.of();
    }
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
  }
}
