package dev.vshard.operator.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The target's replication progress, as the group's leader and the target report it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Progress {

  /** The leader's commit index. */
  @JsonPropertyDescription("The leader's commit index.")
  private Long leaderCommitIndex;

  /** The leader's match index for the target. */
  @JsonPropertyDescription("The leader's match index for the target.")
  private Long targetMatchIndex;

  /** leaderCommitIndex minus targetMatchIndex, in log entries. */
  @JsonPropertyDescription("leaderCommitIndex minus targetMatchIndex, in log entries.")
  private Long lag;

  /** Bytes of snapshot the target has received. */
  @JsonPropertyDescription("Bytes of snapshot the target has received.")
  private Long bytesReceived;

  /** The last log index the target has applied. */
  @JsonPropertyDescription("The last log index the target has applied.")
  private Long targetAppliedIndex;

  /** Whether the target installed a snapshot from the leader. */
  @JsonPropertyDescription("Whether the target installed a snapshot from the leader.")
  private Boolean snapshotInstalled;

  /** The leader's log start index when the target joined; BaseCopy ends once the target passes it. */
  @JsonPropertyDescription("The leader's log start index when the target joined; BaseCopy ends once the target's match index passes it.")
  private Long logStartIndexAtJoin;

  /** The node's current cut-over step (HoldWrites ... Done) during AtomicCutOver. */
  @JsonPropertyDescription("The node's current cut-over step (HoldWrites ... Done) during AtomicCutOver.")
  private String cutOverStep;

  public Long getLeaderCommitIndex() { return leaderCommitIndex; }
  public void setLeaderCommitIndex(Long v) { this.leaderCommitIndex = v; }
  public Long getTargetMatchIndex() { return targetMatchIndex; }
  public void setTargetMatchIndex(Long v) { this.targetMatchIndex = v; }
  public Long getLag() { return lag; }
  public void setLag(Long lag) { this.lag = lag; }
  public Long getBytesReceived() { return bytesReceived; }
  public void setBytesReceived(Long v) { this.bytesReceived = v; }
  public Long getTargetAppliedIndex() { return targetAppliedIndex; }
  public void setTargetAppliedIndex(Long v) { this.targetAppliedIndex = v; }
  public Boolean getSnapshotInstalled() { return snapshotInstalled; }
  public void setSnapshotInstalled(Boolean v) { this.snapshotInstalled = v; }
  public Long getLogStartIndexAtJoin() { return logStartIndexAtJoin; }
  public void setLogStartIndexAtJoin(Long v) { this.logStartIndexAtJoin = v; }
  public String getCutOverStep() { return cutOverStep; }
  public void setCutOverStep(String cutOverStep) { this.cutOverStep = cutOverStep; }
}
