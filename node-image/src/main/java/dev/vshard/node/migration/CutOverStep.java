package dev.vshard.node.migration;

/** The steps of the cut-over job, in the order DESIGN.md fixes. Recorded as progress after each one. */
public enum CutOverStep {
  HoldWrites, DrainTarget, ChangeMembership, LeaderBounce, TransferLeadership, CommitRouting, Release,
  InstallGhost, Done;

  /** True once the membership change is committed: from here on the only way is forward. */
  public boolean pastMembershipChange() {
    return ordinal() > ChangeMembership.ordinal();
  }
}
