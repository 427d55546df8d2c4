package dev.vshard.local.manifest;

import java.nio.file.Path;
import java.util.List;

/** A manifest that cannot be used; every problem names the file, the line when known, and the field. */
public final class ManifestException extends Exception {

  /** One problem: {@code line} is 0 when unknown. */
  public record Problem(int line, String message) {
    String render(Path file) {
      return file + (line > 0 ? ":" + line : "") + ": " + message;
    }
  }

  private final transient List<Problem> problems;

  public ManifestException(Path file, List<Problem> problems) {
    super(String.join("\n", problems.stream().map(p -> p.render(file)).toList()));
    this.problems = List.copyOf(problems);
  }

  ManifestException(Path file, int line, String message) {
    this(file, List.of(new Problem(line, message)));
  }

  public List<Problem> problems() {
    return problems;
  }
}
