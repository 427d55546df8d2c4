package dev.vshard.node.migration;

/** This node does not lead the vShard's group (any more); the caller forwards to {@link #leaderHint}. */
public final class NotLeaderHereException extends RuntimeException {
  private final int vshard;
  private final String leaderHint;

  public NotLeaderHereException(int vshard, String leaderHint) {
    super("this node does not lead vShard " + vshard + (leaderHint == null ? "" : "; leader is " + leaderHint));
    this.vshard = vshard;
    this.leaderHint = leaderHint;
  }

  public int vshard() {
    return vshard;
  }

  public String leaderHint() {
    return leaderHint;
  }
}
