package dev.vshard.operator.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.vshard.operator.migration.MigrationPhase;

/** When one phase began and how long it lasted. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PhaseRecord {

  /** The phase. */
  @JsonPropertyDescription("The phase.")
  private MigrationPhase phase;

  /** When the phase began (RFC 3339). */
  @JsonPropertyDescription("When the phase began (RFC 3339).")
  private String startTime;

  /** How long the phase lasted, e.g. 2.3s; unset while it runs. */
  @JsonPropertyDescription("How long the phase lasted, e.g. 2.3s; unset while it runs.")
  private String duration;

  /** The same duration in milliseconds, for programs. */
  @JsonPropertyDescription("The same duration in milliseconds, for programs.")
  private Long durationMillis;

  public PhaseRecord() { }

  public PhaseRecord(MigrationPhase phase, String startTime) {
    this.phase = phase;
    this.startTime = startTime;
  }

  public MigrationPhase getPhase() { return phase; }
  public void setPhase(MigrationPhase phase) { this.phase = phase; }
  public String getStartTime() { return startTime; }
  public void setStartTime(String startTime) { this.startTime = startTime; }
  public String getDuration() { return duration; }
  public void setDuration(String duration) { this.duration = duration; }
  public Long getDurationMillis() { return durationMillis; }
  public void setDurationMillis(Long durationMillis) { this.durationMillis = durationMillis; }
}
