package dev.vshard.testsupport.node;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** A node did not become ready; the message carries the end of its log, which usually says why. */
public final class NodeStartException extends RuntimeException {

  private static final int TAIL_LINES = 25;

  NodeStartException(String what, Path log) {
    super(what + "\n--- last lines of " + log + " ---\n" + tail(log));
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size()));
    } catch (IOException e) {
      return "(log unreadable: " + e.getMessage() + ")";
    }
  }
}
