package dev.vshard.operator.spec;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Kubernetes (Go {@code time.Duration}) style duration strings: a sequence of integers with units
 * {@code ns, us, ms, s, m, h}, e.g. {@code 500ms}, {@code 1m30s}. The CRD accepts the same shape
 * (see {@link dev.vshard.operator.model.VShardMigrationSpec#DURATION_PATTERN}).
 */
public final class KubernetesDuration {

  private static final Pattern WHOLE = Pattern.compile(dev.vshard.operator.model.VShardMigrationSpec.DURATION_PATTERN);
  private static final Pattern PART = Pattern.compile("([0-9]+)(ns|us|ms|s|m|h)");

  private KubernetesDuration() { }

  /** Whether {@code text} has the accepted shape. */
  public static boolean isValid(String text) {
    return text != null && WHOLE.matcher(text).matches();
  }

  /**
   * Parses {@code text}.
   *
   * @throws IllegalArgumentException naming the value and the accepted shape when it does not match
   */
  public static Duration parse(String text) {
    if (!isValid(text)) {
      throw new IllegalArgumentException("'" + text + "' is not a duration; expected integers with units "
          + "ns, us, ms, s, m or h, e.g. 500ms or 1m30s");
    }
    Duration total = Duration.ZERO;
    Matcher m = PART.matcher(text);
    while (m.find()) {
      long n = Long.parseLong(m.group(1));
      total = total.plus(switch (m.group(2)) {
        case "ns" -> Duration.ofNanos(n);
        case "us" -> Duration.ofNanos(Math.multiplyExact(n, 1000L));
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        default -> Duration.ofHours(n);
      });
    }
    return total;
  }

  /** Formats like Go does for people: {@code 1h2m3.5s}, {@code 1.25s}, {@code 250ms}, {@code 0s}. */
  public static String format(Duration d) {
    if (d.isNegative()) {
      return "-" + format(d.negated());
    }
    long millis = d.toMillis();
    if (millis == 0) {
      return d.isZero() ? "0s" : (d.toNanos() / 1000) + "us";
    }
    if (millis < 1000) {
      return millis + "ms";
    }
    StringBuilder out = new StringBuilder();
    long hours = millis / 3_600_000;
    long minutes = (millis / 60_000) % 60;
    long seconds = (millis / 1000) % 60;
    long restMillis = millis % 1000;
    if (hours > 0) {
      out.append(hours).append('h');
    }
    if (hours > 0 || minutes > 0) {
      out.append(minutes).append('m');
    }
    out.append(seconds);
    if (restMillis > 0) {
      out.append('.').append(String.format("%03d", restMillis).replaceAll("0+$", ""));
    }
    return out.append('s').toString();
  }
}
