package dev.vshard.node.routing;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.TreeMap;

/**
 * The migration holding a vShard, with the recorded result of each step (step name to JSON), so a
 * repeated or resumed admin call is answered from the metadata group, the same way on every node.
 */
public record MigrationHold(String migrationId, String source, String target, Map<String, JsonNode> steps) {
  public MigrationHold {
    steps = Map.copyOf(steps == null ? Map.of() : steps);
  }

  public MigrationHold withStep(String step, JsonNode result) {
    Map<String, JsonNode> next = new TreeMap<>(steps);
    next.put(step, result);
    return new MigrationHold(migrationId, source, target, next);
  }
}
