package dev.vshard.operator.migration;

/**
 * Whether a Pending migration may start now.
 *
 * @param reason when not granted: CamelCase reason it waits for (e.g. {@code Queued}, {@code VShardBusy})
 */
public record Admission(boolean granted, String reason, String message) {

  public static Admission grant() {
    return new Admission(true, null, null);
  }

  public static Admission wait(String reason, String message) {
    return new Admission(false, reason, message);
  }
}
