package dev.vshard.operator.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.vshard.operator.migration.MigrationPhase;
import io.fabric8.kubernetes.api.model.Condition;

import java.util.ArrayList;
import java.util.List;

/**
 * Everything a person needs to see at a glance and everything a restarted operator needs to resume:
 * the operator keeps no migration state in memory.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class VShardMigrationStatus {

  /** Current phase: Pending, BaseCopy, WalCatchUp, AtomicCutOver, Completed or Failed. */
  @JsonPropertyDescription("Current phase: Pending, BaseCopy, WalCatchUp, AtomicCutOver, Completed or Failed.")
  private MigrationPhase phase;

  /** metadata.generation of the spec this status describes. */
  @JsonPropertyDescription("metadata.generation of the spec this status describes.")
  private Long observedGeneration;

  /** When the migration left Pending (RFC 3339). */
  @JsonPropertyDescription("When the migration left Pending (RFC 3339).")
  private String startTime;

  /** When the migration reached Completed or Failed (RFC 3339); TTL deletion counts from here. */
  @JsonPropertyDescription("When the migration reached Completed or Failed (RFC 3339); ttlSecondsAfterFinished counts from here.")
  private String completionTime;

  /** Time from startTime to completionTime (or to the last reconcile while running), e.g. 1m2.5s. */
  @JsonPropertyDescription("Time from startTime to completionTime, or to the last reconcile while running, e.g. 1m2.5s.")
  private String elapsed;

  /** One entry per phase entered, in order, with its start and (once left) its duration. */
  @JsonPropertyDescription("One entry per phase entered, in order, with its start and, once left, its duration.")
  private List<PhaseRecord> phases = new ArrayList<>();

  /** Replication progress of the target as last observed. */
  @JsonPropertyDescription("Replication progress of the target as last observed.")
  private Progress progress;

  /** The write-pause budget, the node's estimate and the pause actually measured. */
  @JsonPropertyDescription("The write-pause budget, the node's estimate and the pause actually measured.")
  private WritePause writePause;

  /** Routing epoch committed by the cut-over. */
  @JsonPropertyDescription("Routing epoch committed by the cut-over.")
  private Long routingEpoch;

  /** CamelCase reason of the current state (e.g. Queued, CatchUpTimeout, AlreadyAtTarget). */
  @JsonPropertyDescription("CamelCase reason of the current state, e.g. Queued, CatchUpTimeout, AlreadyAtTarget.")
  private String reason;

  /** What is happening or what went wrong, for a person. */
  @JsonPropertyDescription("What is happening or what went wrong, for a person.")
  private String message;

  /** Ready, Reconciling and Stalled with kstatus semantics. */
  @JsonPropertyDescription("Ready (True once Completed), Reconciling (True while a phase runs), Stalled (True when Failed).")
  private List<Condition> conditions = new ArrayList<>();

  /** The target pod as seen when BaseCopy began; a change means the target was replaced. */
  @JsonPropertyDescription("The target pod as seen when BaseCopy began; a different uid, restartCount or IP means it was replaced.")
  private PodIdentity targetPod;

  /**
   * The spec as it was when the migration left Pending. The operator works from it from then on: a later edit,
   * which the CRD's rules refuse but an API server without them (local mode) lets through, is reported as a
   * Warning Event {@code SpecChangeIgnored} and changes nothing.
   */
  @JsonPropertyDescription("The spec as it was when the migration left Pending. The operator works from it from then on:"
      + " a later edit, which the CRD's rules refuse but an API server without them lets through, is reported as a"
      + " Warning Event SpecChangeIgnored and changes nothing.")
  private VShardMigrationSpec acceptedSpec;

  /** How many times the node refused or aborted the cut-over because of the write-pause budget. */
  @JsonPropertyDescription("How many times the node refused or aborted the cut-over because of the write-pause budget.")
  private Integer pauseBudgetRefusals;

  /** Consecutive observations with the target's lag within catchUpThreshold. */
  @JsonPropertyDescription("Consecutive observations with the target's lag within catchUpThreshold.")
  private Integer caughtUpObservations;

  public MigrationPhase getPhase() { return phase; }
  public void setPhase(MigrationPhase phase) { this.phase = phase; }
  public Long getObservedGeneration() { return observedGeneration; }
  public void setObservedGeneration(Long observedGeneration) { this.observedGeneration = observedGeneration; }
  public String getStartTime() { return startTime; }
  public void setStartTime(String startTime) { this.startTime = startTime; }
  public String getCompletionTime() { return completionTime; }
  public void setCompletionTime(String completionTime) { this.completionTime = completionTime; }
  public String getElapsed() { return elapsed; }
  public void setElapsed(String elapsed) { this.elapsed = elapsed; }
  public List<PhaseRecord> getPhases() { return phases; }
  public void setPhases(List<PhaseRecord> phases) { this.phases = phases; }
  public Progress getProgress() { return progress; }
  public void setProgress(Progress progress) { this.progress = progress; }
  public WritePause getWritePause() { return writePause; }
  public void setWritePause(WritePause writePause) { this.writePause = writePause; }
  public Long getRoutingEpoch() { return routingEpoch; }
  public void setRoutingEpoch(Long routingEpoch) { this.routingEpoch = routingEpoch; }
  public String getReason() { return reason; }
  public void setReason(String reason) { this.reason = reason; }
  public String getMessage() { return message; }
  public void setMessage(String message) { this.message = message; }
  public List<Condition> getConditions() { return conditions; }
  public void setConditions(List<Condition> conditions) { this.conditions = conditions; }
  public PodIdentity getTargetPod() { return targetPod; }
  public void setTargetPod(PodIdentity targetPod) { this.targetPod = targetPod; }
  public VShardMigrationSpec getAcceptedSpec() { return acceptedSpec; }
  public void setAcceptedSpec(VShardMigrationSpec acceptedSpec) { this.acceptedSpec = acceptedSpec; }
  public Integer getPauseBudgetRefusals() { return pauseBudgetRefusals; }
  public void setPauseBudgetRefusals(Integer n) { this.pauseBudgetRefusals = n; }
  public Integer getCaughtUpObservations() { return caughtUpObservations; }
  public void setCaughtUpObservations(Integer n) { this.caughtUpObservations = n; }
}
