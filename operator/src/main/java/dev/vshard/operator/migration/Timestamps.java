package dev.vshard.operator.migration;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** RFC 3339 timestamps as Kubernetes writes them (second precision, UTC) and reads them back. */
public final class Timestamps {

  private Timestamps() { }

  public static String format(Instant instant) {
    return instant.truncatedTo(ChronoUnit.SECONDS).toString();
  }

  /** Millisecond precision, for phase starts that durations are computed from. */
  public static String formatPrecise(Instant instant) {
    return instant.truncatedTo(ChronoUnit.MILLIS).toString();
  }

  public static Instant parse(String text) {
    return Instant.parse(text);
  }
}
