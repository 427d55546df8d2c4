package dev.vshard.operator.spec;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a real API server would do with a spec at admission, using only the generated CRD: the
 * OpenAPI keywords the schema uses (required, type, pattern, minLength/maxLength, minimum/maximum)
 * and the x-kubernetes-validations CEL rules evaluated by dev.cel. Returns the fields refused.
 */
final class CrdAdmission {

  private record Rule(String expression, String field, boolean transition, CelRuntime.Program program) { }

  private final JsonNode schema;
  private final List<Rule> rules = new ArrayList<>();

  CrdAdmission(JsonNode specSchema) throws CelValidationException, CelEvaluationException {
    this.schema = specSchema;
    MapType object = MapType.create(SimpleType.STRING, SimpleType.DYN);
    CelCompiler compiler = CelCompilerFactory.standardCelCompilerBuilder()
        .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
        .addVar("self", object).addVar("oldSelf", object).build();
    CelRuntime runtime = CelRuntimeFactory.standardCelRuntimeBuilder().build();
    for (JsonNode v : specSchema.path("x-kubernetes-validations")) {
      String expr = v.path("rule").asText();
      String field = v.has("fieldPath") ? "spec" + v.path("fieldPath").asText() : "spec";
      rules.add(new Rule(expr, field, expr.contains("oldSelf"),
          runtime.createProgram(compiler.compile(expr).getAst())));
    }
  }

  int ruleCount() {
    return rules.size();
  }

  /** Fields refused when creating {@code spec}. */
  Set<String> refuseCreate(Map<String, Object> spec) throws CelEvaluationException {
    return refuse(spec, null);
  }

  /** Fields refused when updating {@code before} to {@code after}. */
  Set<String> refuseUpdate(Map<String, Object> before, Map<String, Object> after) throws CelEvaluationException {
    return refuse(after, before);
  }

  private Set<String> refuse(Map<String, Object> spec, Map<String, Object> old) throws CelEvaluationException {
    Set<String> refused = new LinkedHashSet<>(schemaViolations(spec));
    if (!refused.isEmpty()) {
      return refused;  // a value that breaks the schema never reaches the CEL rules (e.g. duration())
    }
    Map<String, Object> vars = new HashMap<>();
    vars.put("self", spec);
    if (old != null) {
      vars.put("oldSelf", old);
    }
    for (Rule rule : rules) {
      if (rule.transition() && old == null) {
        continue;  // transition rules run on updates only
      }
      if (!Boolean.TRUE.equals(rule.program().eval(vars))) {
        refused.add(rule.field());
      }
    }
    return refused;
  }

  private List<String> schemaViolations(Map<String, Object> spec) {
    List<String> out = new ArrayList<>();
    for (JsonNode required : schema.path("required")) {
      if (!spec.containsKey(required.asText())) {
        out.add("spec." + required.asText());
      }
    }
    Iterator<Map.Entry<String, JsonNode>> props = schema.path("properties").fields();
    while (props.hasNext()) {
      Map.Entry<String, JsonNode> p = props.next();
      Object value = spec.get(p.getKey());
      if (value != null && !accepts(p.getValue(), value)) {
        out.add("spec." + p.getKey());
      }
    }
    return out;
  }

  private static boolean accepts(JsonNode prop, Object value) {
    String type = prop.path("type").asText();
    if (type.equals("string")) {
      String s = (String) value;
      return (!prop.has("pattern") || Pattern.compile(prop.get("pattern").asText()).matcher(s).find())
          && (!prop.has("minLength") || s.length() >= prop.get("minLength").asInt())
          && (!prop.has("maxLength") || s.length() <= prop.get("maxLength").asInt());
    }
    if (type.equals("integer")) {
      long n = (Long) value;
      return (!prop.has("minimum") || n >= prop.get("minimum").asDouble())
          && (!prop.has("maximum") || n <= prop.get("maximum").asDouble());
    }
    return !type.equals("boolean") || value instanceof Boolean;
  }
}
