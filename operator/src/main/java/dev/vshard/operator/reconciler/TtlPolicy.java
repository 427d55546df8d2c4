package dev.vshard.operator.reconciler;

import dev.vshard.operator.migration.Timestamps;
import dev.vshard.operator.model.VShardMigration;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * When a finished migration is deleted: {@code ttlSecondsAfterFinished} after its completionTime
 * (Job semantics), the operator's default when the spec is silent, never when both are unset.
 */
public class TtlPolicy {

  private final Integer defaultTtlSeconds;

  /** @param defaultTtlSeconds VSHARD_DEFAULT_TTL_SECONDS, or {@code null} */
  public TtlPolicy(Integer defaultTtlSeconds) {
    this.defaultTtlSeconds = defaultTtlSeconds;
  }

  /** How long until the migration should be deleted (zero or negative: now); empty = keep it. */
  public Optional<Duration> timeLeft(VShardMigration m, Instant now) {
    if (m.getStatus() == null || m.getStatus().getCompletionTime() == null) {
      return Optional.empty();
    }
    Integer ttl = m.getSpec() != null && m.getSpec().getTtlSecondsAfterFinished() != null
        ? m.getSpec().getTtlSecondsAfterFinished() : defaultTtlSeconds;
    if (ttl == null) {
      return Optional.empty();
    }
    Instant expiry = Timestamps.parse(m.getStatus().getCompletionTime()).plusSeconds(ttl);
    return Optional.of(Duration.between(now, expiry));
  }
}
