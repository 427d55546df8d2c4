package dev.vshard.node.migration;

import dev.vshard.node.raft.MembershipChange;

/** The steps of the cut-over job, in the order DESIGN.md fixes. {@code step} in the record is the next one to run. */
public enum CutOverStep {
  HoldWrites, DrainTarget, ChangeMembership, LeaderBounce, TransferLeadership, CommitRouting, Release,
  InstallGhost, Done;

  /** True once the membership change is committed: from here on the only way is forward. */
  public boolean pastMembershipChange() {
    return ordinal() > ChangeMembership.ordinal();
  }

  /**
   * Whether progress is recorded after this step. Each record is a metadata commit, and while writes are held
   * every commit lengthens the pause, so inside it only the point of no return is recorded (a restart must know
   * the membership change happened); then the pause, once the writes are released, and the end. Unrecorded
   * steps cost nothing to repeat: each step checks the real state first, so a resumed job that starts from an
   * earlier step skips what is done.
   */
  public boolean recordedAfter() {
    return this == ChangeMembership || this == Release;
  }
}
