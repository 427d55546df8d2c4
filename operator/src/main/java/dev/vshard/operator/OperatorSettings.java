package dev.vshard.operator;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The operator's configuration (docs/contract.md, "Operator"), read once from the environment and
 * passed down; nothing reads the environment anywhere else.
 *
 * @param watchNamespaces empty = all namespaces
 * @param defaultTtlSeconds {@code null} = keep finished migrations unless their spec says otherwise
 * @param port /healthz, /readyz, /metrics; 0 = any free port, negative = no HTTP server
 * @param identity this replica's name in the leader-election Lease
 */
public record OperatorSettings(Set<String> watchNamespaces, int maxConcurrentPerCluster, Integer defaultTtlSeconds,
                               int port, boolean leaderElection, String podNamespace, String identity) {

  /** Settings for an in-process operator (local mode, tests): no leader election, no HTTP server. */
  public static OperatorSettings inProcess() {
    return new OperatorSettings(Set.of(), 4, null, -1, false, "default", "in-process-" + UUID.randomUUID());
  }

  public OperatorSettings withMaxConcurrentPerCluster(int max) {
    return new OperatorSettings(watchNamespaces, max, defaultTtlSeconds, port, leaderElection, podNamespace, identity);
  }

  public OperatorSettings withDefaultTtlSeconds(Integer ttl) {
    return new OperatorSettings(watchNamespaces, maxConcurrentPerCluster, ttl, port, leaderElection, podNamespace, identity);
  }

  public OperatorSettings withPort(int newPort) {
    return new OperatorSettings(watchNamespaces, maxConcurrentPerCluster, defaultTtlSeconds, newPort, leaderElection,
        podNamespace, identity);
  }

  /**
   * Reads VSHARD_WATCH_NAMESPACES, VSHARD_MAX_CONCURRENT_PER_CLUSTER, VSHARD_DEFAULT_TTL_SECONDS,
   * VSHARD_OPERATOR_PORT, VSHARD_LEADER_ELECTION, POD_NAMESPACE (and HOSTNAME for the identity).
   *
   * @throws IllegalArgumentException naming the variable, its value and what is allowed
   */
  public static OperatorSettings fromEnv(Map<String, String> env) {
    Set<String> namespaces = Arrays.stream(env.getOrDefault("VSHARD_WATCH_NAMESPACES", "").split(","))
        .map(String::trim).filter(s -> !s.isEmpty()).collect(Collectors.toCollection(LinkedHashSet::new));
    int max = integer(env, "VSHARD_MAX_CONCURRENT_PER_CLUSTER", "4", 1, 1000);
    String ttlText = env.get("VSHARD_DEFAULT_TTL_SECONDS");
    Integer ttl = ttlText == null || ttlText.isBlank() ? null
        : integer(env, "VSHARD_DEFAULT_TTL_SECONDS", null, 0, 31_536_000);
    int port = integer(env, "VSHARD_OPERATOR_PORT", "8080", 0, 65535);
    String le = env.getOrDefault("VSHARD_LEADER_ELECTION", "true").trim();
    if (!le.equals("true") && !le.equals("false")) {
      throw new IllegalArgumentException("VSHARD_LEADER_ELECTION is '" + le + "'; allowed: true or false");
    }
    String identity = env.getOrDefault("HOSTNAME", "vshard-operator-" + UUID.randomUUID());
    return new OperatorSettings(namespaces, max, ttl, port, Boolean.parseBoolean(le),
        env.getOrDefault("POD_NAMESPACE", "default"), identity);
  }

  private static int integer(Map<String, String> env, String name, String fallback, int min, int max) {
    String text = env.getOrDefault(name, fallback).trim();
    try {
      int value = Integer.parseInt(text);
      if (value < min || value > max) {
        throw new NumberFormatException();
      }
      return value;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " is '" + text + "'; allowed: an integer " + min + ".." + max);
    }
  }
}
