package dev.vshard.testsupport.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The subset of kubectl JSONPath that printer columns use: {@code .a.b}, {@code .a[0]} and
 * {@code .a[?(@.type=="Ready")].status}. Anything else yields a missing node.
 */
final class SimpleJsonPath {

  private static final Pattern SEGMENT = Pattern.compile("\\.([^.\\[]+)|\\[(\\d+)]|\\[\\?\\(@\\.([^=]+)==[\"']([^\"']*)[\"']\\)]");

  private SimpleJsonPath() {}

  static JsonNode read(JsonNode root, String path) {
    String expression = path.trim();
    if (expression.startsWith("{") && expression.endsWith("}")) {
      expression = expression.substring(1, expression.length() - 1);
    }
    Matcher matcher = SEGMENT.matcher(expression);
    JsonNode node = root;
    int position = 0;
    while (matcher.find() && matcher.start() == position) {
      position = matcher.end();
      if (matcher.group(1) != null) {
        node = node.path(matcher.group(1));
      } else if (matcher.group(2) != null) {
        node = node.path(Integer.parseInt(matcher.group(2)));
      } else {
        node = firstMatching(node, matcher.group(3), matcher.group(4));
      }
    }
    return position == expression.length() ? node : MissingNode.getInstance();
  }

  private static JsonNode firstMatching(JsonNode array, String field, String value) {
    for (JsonNode element : array) {
      if (value.equals(element.path(field).asText())) {
        return element;
      }
    }
    return MissingNode.getInstance();
  }
}
