package dev.vshard.helm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The main Java sources of one module (node-image, operator), read as text so the chart tests can
 * derive what the programs really read and serve instead of restating it.
 */
final class SourceTree {

  private final Path root;
  private final Map<Path, String> files;

  private SourceTree(Path root, Map<Path, String> files) {
    this.root = root;
    this.files = files;
  }

  /** {@code <repo>/<module>/src/main/java}. */
  static SourceTree ofModule(String module) {
    Path root = Chart.repoRoot().resolve(module).resolve("src/main/java");
    if (!Files.isDirectory(root)) {
      throw new AssertionError("no sources at " + root);
    }
    Map<Path, String> files = new LinkedHashMap<>();
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path file : walk.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
        files.put(root.relativize(file), Files.readString(file));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new SourceTree(root, files);
  }

  Map<Path, String> files() {
    return files;
  }

  /** Group 1 of every match of {@code pattern} in any file. */
  Set<String> captures(Pattern pattern) {
    Set<String> found = new TreeSet<>();
    files.values().forEach(text -> {
      Matcher m = pattern.matcher(text);
      while (m.find()) {
        found.add(m.group(1));
      }
    });
    return found;
  }

  /** The text of one file, given its path relative to src/main/java. */
  String file(String relativePath) {
    String text = files.get(Path.of(relativePath));
    if (text == null) {
      throw new AssertionError("no source file " + relativePath + " under " + root);
    }
    return text;
  }

  @Override
  public String toString() {
    return root.toString();
  }
}
