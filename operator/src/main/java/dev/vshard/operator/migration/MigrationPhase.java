package dev.vshard.operator.migration;

import java.util.EnumSet;
import java.util.Set;

/**
 * Phases of a vShard migration. Failed (with rollback) is reachable only before the node accepted
 * the cut-over; from AtomicCutOver the only way is forward.
 */
public enum MigrationPhase {
  /** Validated and waiting for a slot. Next: BaseCopy, Completed (AlreadyAtTarget), Failed. */
  Pending,
  /** Target joined as a Raft listener, receiving the snapshot. Next: WalCatchUp, Failed. */
  BaseCopy,
  /** Target follows the log; waits for the lag to fall within the threshold and the node to accept
   *  the cut-over. Next: AtomicCutOver, Failed. */
  WalCatchUp,
  /** The node runs the cut-over job; polled until done. Next: Completed, WalCatchUp (the node
   *  aborted before the membership change because the pause budget ran out). */
  AtomicCutOver,
  /** The target is a voter and the source is not. Terminal. */
  Completed,
  /** Rolled back (or refused before any change). Terminal. */
  Failed;

  /** Whether a migration in this phase is finished. */
  public boolean isTerminal() {
    return this == Completed || this == Failed;
  }

  /** Whether a migration in this phase occupies a slot of its cluster and holds its vShard. */
  public boolean isActive() {
    return this == BaseCopy || this == WalCatchUp || this == AtomicCutOver;
  }

  /** Whether a failure in this phase must remove the learner from the group first. */
  public boolean needsRollbackOnFailure() {
    return this == BaseCopy || this == WalCatchUp;
  }

  /** The phases this one may move to. */
  public Set<MigrationPhase> allowedNext() {
    return switch (this) {
      case Pending -> EnumSet.of(BaseCopy, Completed, Failed);
      case BaseCopy -> EnumSet.of(WalCatchUp, Failed);
      case WalCatchUp -> EnumSet.of(AtomicCutOver, Failed);
      case AtomicCutOver -> EnumSet.of(Completed, WalCatchUp);
      case Completed, Failed -> EnumSet.noneOf(MigrationPhase.class);
    };
  }
}
