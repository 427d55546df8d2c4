package dev.vshard.operator.spec;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vshard.operator.model.VShardMigrationSpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Java validator and the generated CRD (schema keywords + CEL rules run by dev.cel) refuse the
 * same specs for the same fields. Each row is one spec change from a valid base.
 */
class SpecValidatorAgreesWithCrdTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static CrdAdmission crd;
  private final MigrationSpecValidator validator = new MigrationSpecValidator();

  @BeforeAll
  static void loadCrd() throws Exception {
    crd = new CrdAdmission(GeneratedCrd.specSchema());
  }

  static Map<String, Object> base() {
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("cluster", "demo");
    spec.put("vshard", 3L);
    spec.put("sourceNode", "demo-node-0");
    spec.put("targetNode", "demo-node-3");
    return spec;
  }

  static Stream<Arguments> createCases() {
    return Stream.of(
        row("minimal valid spec", Map.of(), Set.of()),
        row("every optional field", Map.of("writePauseBudget", "250ms", "catchUpThreshold", 10L,
            "catchUpTimeout", "1h30m", "transferLeadership", true, "ttlSecondsAfterFinished", 600L), Set.of()),
        row("source equals target", Map.of("targetNode", "demo-node-0"), Set.of("spec.targetNode")),
        row("missing cluster", Map.of("cluster", REMOVE), Set.of("spec.cluster")),
        row("missing vshard", Map.of("vshard", REMOVE), Set.of("spec.vshard")),
        row("missing target", Map.of("targetNode", REMOVE), Set.of("spec.targetNode")),
        row("upper-case cluster", Map.of("cluster", "Demo"), Set.of("spec.cluster")),
        row("cluster ending in dash", Map.of("cluster", "demo-"), Set.of("spec.cluster")),
        row("cluster of 64 characters", Map.of("cluster", "a".repeat(64)), Set.of("spec.cluster")),
        row("node with underscore", Map.of("sourceNode", "demo_node_0"), Set.of("spec.sourceNode")),
        row("negative vshard", Map.of("vshard", -1L), Set.of("spec.vshard")),
        row("vshard above the maximum", Map.of("vshard", 65536L), Set.of("spec.vshard")),
        row("largest vshard", Map.of("vshard", 65535L), Set.of()),
        row("budget without unit", Map.of("writePauseBudget", "500"), Set.of("spec.writePauseBudget")),
        row("fractional budget", Map.of("writePauseBudget", "0.5s"), Set.of("spec.writePauseBudget")),
        row("budget of zero", Map.of("writePauseBudget", "0ms"), Set.of("spec.writePauseBudget")),
        row("budget of one millisecond", Map.of("writePauseBudget", "1ms"), Set.of()),
        row("budget of 61 seconds", Map.of("writePauseBudget", "1m1s"), Set.of("spec.writePauseBudget")),
        row("budget of 60 seconds", Map.of("writePauseBudget", "60s"), Set.of()),
        row("catch-up timeout of 999ms", Map.of("catchUpTimeout", "999ms"), Set.of("spec.catchUpTimeout")),
        row("catch-up timeout of 25h", Map.of("catchUpTimeout", "25h"), Set.of("spec.catchUpTimeout")),
        row("catch-up timeout in days", Map.of("catchUpTimeout", "1d"), Set.of("spec.catchUpTimeout")),
        row("negative threshold", Map.of("catchUpThreshold", -1L), Set.of("spec.catchUpThreshold")),
        row("threshold above the maximum", Map.of("catchUpThreshold", 1_000_001L), Set.of("spec.catchUpThreshold")),
        row("negative ttl", Map.of("ttlSecondsAfterFinished", -5L), Set.of("spec.ttlSecondsAfterFinished")),
        row("ttl of zero", Map.of("ttlSecondsAfterFinished", 0L), Set.of()),
        row("two faults at once", Map.of("cluster", "BAD", "vshard", -2L), Set.of("spec.cluster", "spec.vshard")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("createCases")
  void validatorAndCrdRefuseTheSameFieldsOnCreate(String name, Map<String, Object> spec, Set<String> expected)
      throws Exception {
    Set<String> byCrd = crd.refuseCreate(spec);
    Set<String> byJava = fields(validator.validate(toSpec(spec)));
    assertThat(byCrd).as("CRD (schema + CEL) refuses").containsExactlyInAnyOrderElementsOf(expected);
    assertThat(byJava).as("Java validator refuses").containsExactlyInAnyOrderElementsOf(expected);
  }

  @Test
  void theCrdCarriesEveryCelRuleTheValidatorMirrors() {
    assertThat(crd.ruleCount()).as("source != target, immutability, two duration ranges").isEqualTo(4);
  }

  @Test
  void unchangedSpecPassesTheImmutabilityRule() throws Exception {
    Map<String, Object> spec = base();
    assertThat(crd.refuseUpdate(spec, new LinkedHashMap<>(spec))).isEmpty();
    assertThat(validator.validateUpdate(toSpec(spec), toSpec(spec))).isEmpty();
  }

  @Test
  void changedSpecIsRefusedByBoth() throws Exception {
    Map<String, Object> before = base();
    Map<String, Object> after = base();
    after.put("targetNode", "demo-node-4");
    assertThat(crd.refuseUpdate(before, after)).containsExactly("spec");
    assertThat(fields(validator.validateUpdate(toSpec(before), toSpec(after)))).containsExactly("spec");
  }

  @Test
  void violationMessagesNameFieldValueAndWhatIsAllowed() {
    Map<String, Object> spec = base();
    spec.put("writePauseBudget", "2m");
    SpecViolation v = validator.validate(toSpec(spec)).get(0);
    assertThat(v.message()).contains("spec.writePauseBudget").contains("'2m'").contains("between 1ms and 1m0s");
  }

  private static final Object REMOVE = new Object();

  private static Arguments row(String name, Map<String, Object> changes, Set<String> refusedFields) {
    Map<String, Object> spec = base();
    changes.forEach((k, v) -> {
      if (v == REMOVE) {
        spec.remove(k);
      } else {
        spec.put(k, v);
      }
    });
    return Arguments.of(name, spec, refusedFields);
  }

  private static VShardMigrationSpec toSpec(Map<String, Object> map) {
    return JSON.convertValue(map, VShardMigrationSpec.class);
  }

  private static Set<String> fields(java.util.List<SpecViolation> violations) {
    return violations.stream().map(SpecViolation::field).collect(Collectors.toCollection(TreeSet::new));
  }
}
