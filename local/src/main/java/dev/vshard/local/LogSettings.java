package dev.vshard.local;

import java.util.Arrays;

/**
 * slf4j-simple reads its settings from system properties once, when the first logger is made: set
 * them before anything logs. Quiet by default (warnings only) so the progress line stays readable;
 * {@code --verbose} shows the operator's INFO lines.
 */
final class LogSettings {

  private LogSettings() {}

  static void apply(String[] args) {
    boolean verbose = Arrays.asList(args).contains("--verbose") || Arrays.asList(args).contains("-v");
    setIfAbsent("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    setIfAbsent("org.slf4j.simpleLogger.log.dev.vshard", verbose ? "info" : "warn");
    setIfAbsent("org.slf4j.simpleLogger.showDateTime", "true");
    setIfAbsent("org.slf4j.simpleLogger.dateTimeFormat", "HH:mm:ss.SSS");
    // the mock API server and JOSDK are chatty at INFO through java.util.logging / slf4j
    setIfAbsent("org.slf4j.simpleLogger.log.io.javaoperatorsdk", verbose ? "info" : "error");
    // "resource type 'vshardmigrations' with unstable version 'v1alpha1'": true, and not news to a person running the demo
    setIfAbsent("org.slf4j.simpleLogger.log.io.fabric8.kubernetes.client.dsl.internal.VersionUsageUtils", "error");
  }

  private static void setIfAbsent(String key, String value) {
    if (System.getProperty(key) == null) {
      System.setProperty(key, value);
    }
  }
}
