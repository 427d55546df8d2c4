package dev.vshard.operator.spec;

import dev.vshard.operator.model.VShardMigrationSpec;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The one Java copy of the CRD's admission rules (OpenAPI bounds and patterns, CEL rules) and
 * defaults. The mock API server applies neither, so the reconciler and the local CLI call this;
 * {@code SpecValidatorAgreesWithCrdTest} checks it against the generated CRD.
 */
public final class MigrationSpecValidator {

  static final Duration MIN_WRITE_PAUSE_BUDGET = Duration.ofMillis(1);
  static final Duration MAX_WRITE_PAUSE_BUDGET = Duration.ofSeconds(60);
  static final Duration MIN_CATCH_UP_TIMEOUT = Duration.ofSeconds(1);
  static final Duration MAX_CATCH_UP_TIMEOUT = Duration.ofHours(24);
  static final long MAX_TTL_SECONDS = 31_536_000;

  private static final Pattern CLUSTER = Pattern.compile(VShardMigrationSpec.CLUSTER_PATTERN);
  private static final Pattern NODE = Pattern.compile(VShardMigrationSpec.NODE_PATTERN);

  /** Every violation of a spec on its own (creation). Empty when valid. */
  public List<SpecViolation> validate(VShardMigrationSpec spec) {
    List<SpecViolation> out = new ArrayList<>();
    if (spec == null) {
      out.add(new SpecViolation("spec", null, "a VShardMigration needs a spec"));
      return out;
    }
    name(out, "spec.cluster", spec.getCluster(), CLUSTER, 63, "a DNS-1123 label (lower-case letters, digits, '-'), at most 63 characters");
    name(out, "spec.sourceNode", spec.getSourceNode(), NODE, 253, "a pod name (lower-case letters, digits, '-', '.'), at most 253 characters");
    name(out, "spec.targetNode", spec.getTargetNode(), NODE, 253, "a pod name (lower-case letters, digits, '-', '.'), at most 253 characters");
    if (spec.getVshard() == null) {
      out.add(new SpecViolation("spec.vshard", null, "required: an integer 0.." + VShardMigrationSpec.MAX_VSHARD));
    } else if (spec.getVshard() < 0 || spec.getVshard() > VShardMigrationSpec.MAX_VSHARD) {
      out.add(new SpecViolation("spec.vshard", spec.getVshard(), "allowed: 0.." + VShardMigrationSpec.MAX_VSHARD));
    }
    duration(out, "spec.writePauseBudget", spec.getWritePauseBudget(), MIN_WRITE_PAUSE_BUDGET, MAX_WRITE_PAUSE_BUDGET);
    duration(out, "spec.catchUpTimeout", spec.getCatchUpTimeout(), MIN_CATCH_UP_TIMEOUT, MAX_CATCH_UP_TIMEOUT);
    Long threshold = spec.getCatchUpThreshold();
    if (threshold != null && (threshold < 0 || threshold > VShardMigrationSpec.MAX_CATCH_UP_THRESHOLD)) {
      out.add(new SpecViolation("spec.catchUpThreshold", threshold, "allowed: 0.." + VShardMigrationSpec.MAX_CATCH_UP_THRESHOLD + " log entries"));
    }
    Integer ttl = spec.getTtlSecondsAfterFinished();
    if (ttl != null && (ttl < 0 || ttl > MAX_TTL_SECONDS)) {
      out.add(new SpecViolation("spec.ttlSecondsAfterFinished", ttl, "allowed: 0.." + MAX_TTL_SECONDS + " seconds, or unset"));
    }
    if (spec.getSourceNode() != null && spec.getSourceNode().equals(spec.getTargetNode())) {
      out.add(new SpecViolation("spec.targetNode", spec.getTargetNode(), "sourceNode and targetNode must differ"));
    }
    return out;
  }

  /** Violations of an update from {@code before} to {@code after}: the spec is immutable. */
  public List<SpecViolation> validateUpdate(VShardMigrationSpec before, VShardMigrationSpec after) {
    List<SpecViolation> out = validate(after);
    if (!sameSpec(before, after)) {
      out.add(new SpecViolation("spec", "changed", "spec is immutable: delete this VShardMigration and create a new one"));
    }
    return out;
  }

  /**
   * The spec with defaults applied.
   *
   * @throws InvalidSpecException listing every violation when the spec is not valid
   */
  public EffectiveSpec effective(VShardMigrationSpec spec) {
    List<SpecViolation> violations = validate(spec);
    if (!violations.isEmpty()) {
      throw new InvalidSpecException(violations);
    }
    return new EffectiveSpec(spec.getCluster(), spec.getVshard(), spec.getSourceNode(), spec.getTargetNode(),
        KubernetesDuration.parse(orDefault(spec.getWritePauseBudget(), VShardMigrationSpec.DEFAULT_WRITE_PAUSE_BUDGET)),
        spec.getCatchUpThreshold() == null ? VShardMigrationSpec.DEFAULT_CATCH_UP_THRESHOLD : spec.getCatchUpThreshold(),
        KubernetesDuration.parse(orDefault(spec.getCatchUpTimeout(), VShardMigrationSpec.DEFAULT_CATCH_UP_TIMEOUT)),
        Boolean.TRUE.equals(spec.getTransferLeadership()),
        spec.getTtlSecondsAfterFinished());
  }

  private static boolean sameSpec(VShardMigrationSpec a, VShardMigrationSpec b) {
    return Objects.equals(a.getCluster(), b.getCluster()) && Objects.equals(a.getVshard(), b.getVshard())
        && Objects.equals(a.getSourceNode(), b.getSourceNode()) && Objects.equals(a.getTargetNode(), b.getTargetNode())
        && Objects.equals(a.getWritePauseBudget(), b.getWritePauseBudget())
        && Objects.equals(a.getCatchUpThreshold(), b.getCatchUpThreshold())
        && Objects.equals(a.getCatchUpTimeout(), b.getCatchUpTimeout())
        && Objects.equals(a.getTransferLeadership(), b.getTransferLeadership())
        && Objects.equals(a.getTtlSecondsAfterFinished(), b.getTtlSecondsAfterFinished());
  }

  private static void name(List<SpecViolation> out, String field, String value, Pattern shape, int maxLength, String allowed) {
    if (value == null) {
      out.add(new SpecViolation(field, null, "required: " + allowed));
    } else if (value.isEmpty() || value.length() > maxLength || !shape.matcher(value).matches()) {
      out.add(new SpecViolation(field, value, "allowed: " + allowed));
    }
  }

  private static void duration(List<SpecViolation> out, String field, String value, Duration min, Duration max) {
    if (value == null) {
      return;
    }
    String allowed = "allowed: a duration like 500ms or 1m30s between " + KubernetesDuration.format(min)
        + " and " + KubernetesDuration.format(max);
    if (value.length() > 32 || !KubernetesDuration.isValid(value)) {
      out.add(new SpecViolation(field, value, allowed));
      return;
    }
    Duration d = KubernetesDuration.parse(value);
    if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
      out.add(new SpecViolation(field, value, allowed));
    }
  }

  private static String orDefault(String value, String fallback) {
    return value == null ? fallback : value;
  }
}
