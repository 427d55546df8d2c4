package dev.vshard.testsupport.kube;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A Kubernetes field selector ({@code involvedObject.name=x,status.phase!=Failed}) evaluated on the
 * JSON of an object. The CRUD mock only understands {@code metadata.name}/{@code metadata.namespace}
 * and ignores the rest, which makes {@code kubectl describe} list every Event of the namespace.
 */
final class FieldSelector {

  private record Requirement(String[] path, String value, boolean equal) {}

  private final List<Requirement> requirements;

  private FieldSelector(List<Requirement> requirements) {
    this.requirements = requirements;
  }

  /** Parses the raw (URL-encoded) query value of {@code fieldSelector}. */
  static FieldSelector parse(String encoded) {
    String decoded = URLDecoder.decode(encoded, StandardCharsets.UTF_8);
    List<Requirement> requirements = new ArrayList<>();
    for (String term : decoded.split(",")) {
      if (term.isBlank()) {
        continue;
      }
      boolean notEqual = term.contains("!=");
      String[] sides = term.split(notEqual ? "!=" : "==?", 2);
      if (sides.length != 2) {
        throw new IllegalArgumentException("field selector term '" + term + "' is not key=value or key!=value");
      }
      requirements.add(new Requirement(sides[0].trim().split("\\."), sides[1].trim(), !notEqual));
    }
    return new FieldSelector(requirements);
  }

  /** The name this selector pins with {@code metadata.name=NAME} (what {@code kubectl wait} and {@code delete} watch). */
  Optional<String> name() {
    return requirements.stream()
        .filter(r -> r.equal() && r.path().length == 2 && r.path()[0].equals("metadata") && r.path()[1].equals("name"))
        .map(Requirement::value).findFirst();
  }

  boolean matches(JsonNode object) {
    for (Requirement requirement : requirements) {
      JsonNode node = object;
      for (String segment : requirement.path()) {
        node = node.path(segment);
      }
      String actual = node.isMissingNode() || node.isNull() ? "" : node.asText();
      if (actual.equals(requirement.value()) != requirement.equal()) {
        return false;
      }
    }
    return true;
  }
}
