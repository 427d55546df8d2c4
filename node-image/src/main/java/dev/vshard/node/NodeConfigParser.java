package dev.vshard.node;

import dev.vshard.node.kv.KvBatch;
import dev.vshard.node.raft.RaftTuning;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads {@link NodeConfig} from flags ({@code --name value} or {@code --name=value}) and env; the flag wins. */
public final class NodeConfigParser {
  private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)");
  private static final Pattern NODE_ID = Pattern.compile("[a-z0-9]([-a-z0-9.]*[a-z0-9])?");
  private static final Map<String, String> FLAG_TO_ENV = Map.ofEntries(
      Map.entry("node-id", "VSHARD_NODE_ID"), Map.entry("cluster-id", "VSHARD_CLUSTER_ID"),
      Map.entry("advertise-host", "VSHARD_ADVERTISE_HOST"), Map.entry("bind-host", "VSHARD_BIND_HOST"),
      Map.entry("http-port", "VSHARD_HTTP_PORT"), Map.entry("admin-port", "VSHARD_ADMIN_PORT"),
      Map.entry("raft-port", "VSHARD_RAFT_PORT"), Map.entry("data-dir", "VSHARD_DATA_DIR"),
      Map.entry("initial-members", "VSHARD_INITIAL_MEMBERS"), Map.entry("vshards", "VSHARD_VSHARDS"),
      Map.entry("replication-factor", "VSHARD_REPLICATION_FACTOR"),
      Map.entry("admin-token-file", "VSHARD_ADMIN_TOKEN_FILE"), Map.entry("ghost-ttl", "VSHARD_GHOST_TTL"),
      Map.entry("install-throttle", "VSHARD_INSTALL_THROTTLE"),
      Map.entry("write-batch", "VSHARD_WRITE_BATCH"), Map.entry("log-commit-index", "VSHARD_LOG_COMMIT_INDEX"),
      Map.entry("snapshot-threshold", "VSHARD_SNAPSHOT_THRESHOLD"),
      Map.entry("log-segment-size", "VSHARD_LOG_SEGMENT_SIZE"));

  private final Map<String, String> settings;

  private NodeConfigParser(Map<String, String> settings) {
    this.settings = settings;
  }

  public static NodeConfig parse(String[] args, Map<String, String> env) {
    Map<String, String> settings = new HashMap<>();
    FLAG_TO_ENV.values().forEach(name -> {
      if (env.get(name) != null) {
        settings.put(name, env.get(name));
      }
    });
    if (env.get("HOSTNAME") != null) {
      settings.putIfAbsent("VSHARD_NODE_ID", env.get("HOSTNAME"));
    }
    readFlags(args, settings);
    return new NodeConfigParser(settings).build();
  }

  private static void readFlags(String[] args, Map<String, String> settings) {
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (!arg.startsWith("--")) {
        throw new ConfigException("argument", arg, "flags of the form --name value or --name=value");
      }
      String name = arg.substring(2);
      String value;
      int eq = name.indexOf('=');
      if (eq >= 0) {
        value = name.substring(eq + 1);
        name = name.substring(0, eq);
      } else if (i + 1 < args.length) {
        value = args[++i];
      } else {
        throw new ConfigException("--" + name, null, "a value");
      }
      String env = FLAG_TO_ENV.get(name);
      if (env == null) {
        throw new ConfigException("flag --" + name, value, "one of --" + String.join(", --", FLAG_TO_ENV.keySet()));
      }
      settings.put(env, value);
    }
  }

  private NodeConfig build() {
    String nodeId = required("VSHARD_NODE_ID");
    if (!NODE_ID.matcher(nodeId).matches()) {
      throw new ConfigException("VSHARD_NODE_ID", nodeId, "a DNS label: lower-case letters, digits, '-' and '.'");
    }
    List<InitialMember> members = members(required("VSHARD_INITIAL_MEMBERS"));
    int vshards = intIn("VSHARD_VSHARDS", "16", 1, 4096);
    int rf = intIn("VSHARD_REPLICATION_FACTOR", "3", 1, 7);
    if (rf > members.size()) {
      throw new ConfigException("VSHARD_REPLICATION_FACTOR", String.valueOf(rf),
          "at most the number of initial members (" + members.size() + ")");
    }
    return new NodeConfig(nodeId, get("VSHARD_CLUSTER_ID", "vshard"), get("VSHARD_ADVERTISE_HOST", nodeId),
        get("VSHARD_BIND_HOST", "0.0.0.0"), port("VSHARD_HTTP_PORT", "8080"), port("VSHARD_ADMIN_PORT", "8081"),
        port("VSHARD_RAFT_PORT", "9870"), Path.of(get("VSHARD_DATA_DIR", "/var/lib/vshard")), members, vshards, rf,
        Path.of(get("VSHARD_ADMIN_TOKEN_FILE", "/etc/vshard/admin/token")), duration("VSHARD_GHOST_TTL", "10m"),
        longIn("VSHARD_INSTALL_THROTTLE", "0", 0), longIn("VSHARD_SNAPSHOT_THRESHOLD", "10000", 16),
        intIn("VSHARD_WRITE_BATCH", "256", 1, KvBatch.MAX_COMMANDS), bool("VSHARD_LOG_COMMIT_INDEX", "false"),
        longIn("VSHARD_LOG_SEGMENT_SIZE", String.valueOf(RaftTuning.DEFAULT_SEGMENT_BYTES), RaftTuning.MIN_SEGMENT_BYTES));
  }

  private List<InitialMember> members(String value) {
    List<InitialMember> members = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    for (String part : value.split(",")) {
      String entry = part.trim();
      int at = entry.indexOf('@');
      if (at <= 0 || at == entry.length() - 1 || !NODE_ID.matcher(entry.substring(0, at)).matches()) {
        throw new ConfigException("VSHARD_INITIAL_MEMBERS", value, "a comma list of id@host, e.g. demo-node-0@10.0.0.5");
      }
      InitialMember member = new InitialMember(entry.substring(0, at), entry.substring(at + 1));
      if (!ids.add(member.id())) {
        throw new ConfigException("VSHARD_INITIAL_MEMBERS", value, "each node id once (" + member.id() + " repeats)");
      }
      members.add(member);
    }
    return members;
  }

  private String required(String name) {
    String value = settings.get(name);
    if (value == null || value.isBlank()) {
      throw new ConfigException(name, value, "a value is required");
    }
    return value.trim();
  }

  private String get(String name, String defaultValue) {
    String value = settings.get(name);
    return value == null || value.isBlank() ? defaultValue : value.trim();
  }

  private int port(String name, String defaultValue) {
    return intIn(name, defaultValue, 1, 65535);
  }

  private int intIn(String name, String defaultValue, int min, int max) {
    String value = get(name, defaultValue);
    try {
      int parsed = Integer.parseInt(value);
      if (parsed >= min && parsed <= max) {
        return parsed;
      }
    } catch (NumberFormatException e) {
      // reported below with the allowed range
    }
    throw new ConfigException(name, value, "an integer from " + min + " to " + max);
  }

  private long longIn(String name, String defaultValue, long min) {
    String value = get(name, defaultValue);
    try {
      long parsed = Long.parseLong(value);
      if (parsed >= min) {
        return parsed;
      }
    } catch (NumberFormatException e) {
      // reported below with the allowed range
    }
    throw new ConfigException(name, value, "an integer of at least " + min);
  }

  private boolean bool(String name, String defaultValue) {
    String value = get(name, defaultValue);
    return switch (value) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new ConfigException(name, value, "true or false");
    };
  }

  private Duration duration(String name, String defaultValue) {
    String value = get(name, defaultValue);
    Matcher m = DURATION.matcher(value);
    if (!m.matches()) {
      throw new ConfigException(name, value, "a duration such as 500ms, 30s, 10m or 1h");
    }
    long amount = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(amount);
      case "s" -> Duration.ofSeconds(amount);
      case "m" -> Duration.ofMinutes(amount);
      default -> Duration.ofHours(amount);
    };
  }
}
