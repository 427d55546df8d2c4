package dev.vshard.operator.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import java.util.Objects;

/** Identity of a pod at one moment; two identities differ when the pod was replaced or restarted. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PodIdentity {

  /** Pod name (= node id). */
  @JsonPropertyDescription("Pod name (the node id).")
  private String name;

  /** metadata.uid of the pod. */
  @JsonPropertyDescription("metadata.uid of the pod.")
  private String uid;

  /** restartCount of the pod's first container. */
  @JsonPropertyDescription("restartCount of the pod's first container.")
  private Integer restartCount;

  /** status.podIP. */
  @JsonPropertyDescription("status.podIP of the pod.")
  private String podIP;

  public PodIdentity() { }

  public PodIdentity(String name, String uid, Integer restartCount, String podIP) {
    this.name = name;
    this.uid = uid;
    this.restartCount = restartCount;
    this.podIP = podIP;
  }

  /** Same pod, same container run, same address. */
  public boolean sameAs(PodIdentity other) {
    return other != null && Objects.equals(uid, other.uid)
        && Objects.equals(restartCount, other.restartCount) && Objects.equals(podIP, other.podIP);
  }

  public String getName() { return name; }
  public void setName(String name) { this.name = name; }
  public String getUid() { return uid; }
  public void setUid(String uid) { this.uid = uid; }
  public Integer getRestartCount() { return restartCount; }
  public void setRestartCount(Integer restartCount) { this.restartCount = restartCount; }
  @com.fasterxml.jackson.annotation.JsonProperty("podIP")
  public String getPodIP() { return podIP; }
  public void setPodIP(String podIP) { this.podIP = podIP; }

  @Override
  public String toString() {
    return name + "(uid=" + uid + ", restartCount=" + restartCount + ", podIP=" + podIP + ")";
  }
}
