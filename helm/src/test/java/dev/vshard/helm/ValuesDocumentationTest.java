package dev.vshard.helm;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** Every value in values.yaml has a comment right above it (resource quantities are examples, not values). */
class ValuesDocumentationTest {

  private static final Pattern KEY = Pattern.compile("^(\\s*)([A-Za-z][A-Za-z0-9]*):");

  @Test
  void everyKeyHasACommentAbove() throws IOException {
    List<String> lines = Files.readAllLines(Chart.dir().resolve("values.yaml"));
    List<String> undocumented = new ArrayList<>();
    int resourcesIndent = -1;
    for (int i = 0; i < lines.size(); i++) {
      Matcher key = KEY.matcher(lines.get(i));
      if (!key.find()) {
        continue;
      }
      int indent = key.group(1).length();
      if (resourcesIndent >= 0 && indent > resourcesIndent) {
        continue;  // requests/limits/cpu/memory under a documented `resources:`
      }
      resourcesIndent = key.group(2).equals("resources") ? indent : -1;
      int above = i - 1;
      while (above >= 0 && lines.get(above).isBlank()) {
        above--;
      }
      if (above < 0 || !lines.get(above).trim().startsWith("#")) {
        undocumented.add((i + 1) + ": " + lines.get(i).trim());
      }
    }
    assertThat(undocumented).as("values.yaml keys without a comment").isEmpty();
  }
}
