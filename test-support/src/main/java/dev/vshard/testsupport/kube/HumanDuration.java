package dev.vshard.testsupport.kube;

import java.time.Duration;

/** The age format of kubectl ({@code 45s}, {@code 3m20s}, {@code 5h}, {@code 2d4h}), as apimachinery's HumanDuration. */
final class HumanDuration {

  private HumanDuration() {}

  static String format(Duration duration) {
    long seconds = duration.getSeconds();
    if (seconds < 0) {
      return "0s";
    }
    long minutes = seconds / 60;
    long hours = minutes / 60;
    long days = hours / 24;
    if (seconds < 120) {
      return seconds + "s";
    }
    if (minutes < 10) {
      return seconds % 60 == 0 ? minutes + "m" : minutes + "m" + seconds % 60 + "s";
    }
    if (minutes < 180) {
      return minutes + "m";
    }
    if (hours < 8) {
      return minutes % 60 == 0 ? hours + "h" : hours + "h" + minutes % 60 + "m";
    }
    if (hours < 48) {
      return hours + "h";
    }
    if (hours < 24 * 8) {
      return hours % 24 == 0 ? days + "d" : days + "d" + hours % 24 + "h";
    }
    if (days < 365 * 2) {
      return days + "d";
    }
    return days / 365 + "y";
  }
}
