package dev.vshard.operator.model;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * What to move where. Immutable once created: a different move is a new resource.
 * The Javadoc of each field is repeated in {@link JsonPropertyDescription}, which the CRD generator
 * copies into the schema (Javadoc itself is not visible to it).
 */
@ValidationRule(value = "self.sourceNode != self.targetNode",
    message = "sourceNode and targetNode must differ", fieldPath = ".targetNode", reason = "FieldValueInvalid")
@ValidationRule(value = "self == oldSelf",
    message = "spec is immutable: delete this VShardMigration and create a new one", reason = "FieldValueForbidden")
@ValidationRule(value = "!has(self.writePauseBudget) || (duration(self.writePauseBudget) >= duration('1ms')"
    + " && duration(self.writePauseBudget) <= duration('60s'))",
    message = "writePauseBudget must be between 1ms and 60s", fieldPath = ".writePauseBudget", reason = "FieldValueInvalid")
@ValidationRule(value = "!has(self.catchUpTimeout) || (duration(self.catchUpTimeout) >= duration('1s')"
    + " && duration(self.catchUpTimeout) <= duration('24h'))",
    message = "catchUpTimeout must be between 1s and 24h", fieldPath = ".catchUpTimeout", reason = "FieldValueInvalid")
public class VShardMigrationSpec {

  /** Pattern of {@link #cluster}: a DNS-1123 label (a Helm release name). */
  public static final String CLUSTER_PATTERN = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$";
  /** Pattern of node names: a DNS-1123 subdomain (a pod name). */
  public static final String NODE_PATTERN = "^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$";
  /** Pattern of durations: Kubernetes (Go) style, integers with units, e.g. {@code 500ms}, {@code 1m30s}. */
  public static final String DURATION_PATTERN = "^([0-9]+(ns|us|ms|s|m|h))+$";
  public static final String DEFAULT_WRITE_PAUSE_BUDGET = "500ms";
  public static final String DEFAULT_CATCH_UP_TIMEOUT = "10m";
  public static final long DEFAULT_CATCH_UP_THRESHOLD = 100;
  public static final int MAX_VSHARD = 65535;
  public static final long MAX_CATCH_UP_THRESHOLD = 1_000_000;

  /** Name of the node cluster (the pods' {@code app.kubernetes.io/instance} label) in this namespace. */
  @Required
  @Size(min = 1, max = 63)
  @Pattern(CLUSTER_PATTERN)
  @JsonPropertyDescription("Name of the node cluster: the app.kubernetes.io/instance label of its pods in this namespace.")
  private String cluster;

  /** The vShard to move, {@code 0 <= vshard < V} of the cluster. */
  @Required
  @Min(0)
  @Max(MAX_VSHARD)
  @JsonPropertyDescription("The vShard to move (0 <= vshard < the cluster's vShard count).")
  private Integer vshard;

  /** Node (pod name) that holds a replica of the vShard now and gives it up. */
  @Required
  @Size(min = 1, max = 253)
  @Pattern(NODE_PATTERN)
  @JsonPropertyDescription("Node (pod name) that holds a replica of the vShard now and gives it up.")
  private String sourceNode;

  /** Node (pod name) that receives the replica; must not hold the vShard yet. */
  @Required
  @Size(min = 1, max = 253)
  @Pattern(NODE_PATTERN)
  @JsonPropertyDescription("Node (pod name) that receives the replica; it must not hold the vShard yet.")
  private String targetNode;

  /** Longest time writes to the vShard may be held during the cut-over (1ms..60s). */
  @Default(DEFAULT_WRITE_PAUSE_BUDGET)
  @Size(min = 2, max = 32)
  @Pattern(DURATION_PATTERN)
  @JsonPropertyDescription("Longest time writes to the vShard may be held during the cut-over, e.g. 500ms (1ms..60s).")
  private String writePauseBudget;

  /** Catch-up is done when the target lags the leader's commit index by at most this many entries. */
  @Default("" + DEFAULT_CATCH_UP_THRESHOLD)
  @Min(0)
  @Max(MAX_CATCH_UP_THRESHOLD)
  @JsonPropertyDescription("Catch-up is done when the target lags the leader's commit index by at most this many log entries.")
  private Long catchUpThreshold;

  /** Longest time WalCatchUp may take before the migration fails and rolls back (1s..24h). */
  @Default(DEFAULT_CATCH_UP_TIMEOUT)
  @Size(min = 2, max = 32)
  @Pattern(DURATION_PATTERN)
  @JsonPropertyDescription("Longest time the WalCatchUp phase may take before the migration fails and rolls back, e.g. 10m (1s..24h).")
  private String catchUpTimeout;

  /** Whether the target becomes the vShard's Raft leader after the cut-over. */
  @Default("false")
  @JsonPropertyDescription("Whether the target becomes the vShard's Raft leader after the cut-over.")
  private Boolean transferLeadership;

  /** Seconds after completionTime when a finished migration is deleted; unset keeps it (Job semantics). */
  @Min(0)
  @Max(31_536_000)
  @JsonPropertyDescription("Seconds after completionTime when a finished (Completed or Failed) migration is deleted. "
      + "Unset keeps it, unless the operator has a default; leave unset for GitOps.")
  private Integer ttlSecondsAfterFinished;

  public String getCluster() { return cluster; }
  public void setCluster(String cluster) { this.cluster = cluster; }
  public Integer getVshard() { return vshard; }
  public void setVshard(Integer vshard) { this.vshard = vshard; }
  public String getSourceNode() { return sourceNode; }
  public void setSourceNode(String sourceNode) { this.sourceNode = sourceNode; }
  public String getTargetNode() { return targetNode; }
  public void setTargetNode(String targetNode) { this.targetNode = targetNode; }
  public String getWritePauseBudget() { return writePauseBudget; }
  public void setWritePauseBudget(String writePauseBudget) { this.writePauseBudget = writePauseBudget; }
  public Long getCatchUpThreshold() { return catchUpThreshold; }
  public void setCatchUpThreshold(Long catchUpThreshold) { this.catchUpThreshold = catchUpThreshold; }
  public String getCatchUpTimeout() { return catchUpTimeout; }
  public void setCatchUpTimeout(String catchUpTimeout) { this.catchUpTimeout = catchUpTimeout; }
  public Boolean getTransferLeadership() { return transferLeadership; }
  public void setTransferLeadership(Boolean transferLeadership) { this.transferLeadership = transferLeadership; }
  public Integer getTtlSecondsAfterFinished() { return ttlSecondsAfterFinished; }
  public void setTtlSecondsAfterFinished(Integer ttl) { this.ttlSecondsAfterFinished = ttl; }
}
