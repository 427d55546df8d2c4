package dev.vshard.node.ghost;

import java.time.Instant;
import java.util.Objects;

/**
 * What a node remembers about a vShard it gave away: where the vShard went, at which routing epoch,
 * and how much the stub is still used (so an idle one can be swept).
 */
public record GhostStub(int vshard, String newOwner, long epoch, Instant installedAt, Instant lastUsed,
                        long forwardedCount) {

  public GhostStub {
    Objects.requireNonNull(newOwner, "newOwner");
    Objects.requireNonNull(installedAt, "installedAt");
    Objects.requireNonNull(lastUsed, "lastUsed");
  }

  static GhostStub installed(int vshard, String newOwner, long epoch, Instant now) {
    return new GhostStub(vshard, newOwner, epoch, now, now, 0);
  }

  GhostStub forwarded(Instant now) {
    return new GhostStub(vshard, newOwner, epoch, installedAt, now, forwardedCount + 1);
  }

  boolean unusedSince(Instant cutoff) {
    return lastUsed.isBefore(cutoff);
  }
}
