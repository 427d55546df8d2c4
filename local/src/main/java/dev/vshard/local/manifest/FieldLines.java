package dev.vshard.local.manifest;

import java.util.List;

/**
 * Finds the line of a field such as {@code spec.targetNode} in a YAML manifest, for error messages.
 * Block-style YAML only (what people write by hand); anything else answers 0 (unknown).
 */
final class FieldLines {

  private final List<String> lines;

  FieldLines(String text) {
    this.lines = text.lines().toList();
  }

  /** 1-based line of the last key of {@code dottedPath} nested under the keys before it; 0 when not found. */
  int lineOf(String dottedPath) {
    String[] keys = dottedPath.split("\\.");
    int from = 0;
    int parentIndent = -1;
    int found = 0;
    for (String key : keys) {
      found = 0;
      for (int i = from; i < lines.size(); i++) {
        String line = lines.get(i);
        int indent = indentOf(line);
        if (!line.isBlank() && !line.trim().startsWith("#") && indent <= parentIndent) {
          break; // left the parent's block
        }
        if (indent > parentIndent && line.trim().matches("\"?" + java.util.regex.Pattern.quote(key) + "\"?\\s*:.*")) {
          found = i + 1;
          from = i + 1;
          parentIndent = indent;
          break;
        }
      }
      if (found == 0) {
        return 0;
      }
    }
    return found;
  }

  private static int indentOf(String line) {
    int indent = 0;
    while (indent < line.length() && line.charAt(indent) == ' ') {
      indent++;
    }
    return indent;
  }
}
