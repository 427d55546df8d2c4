package dev.vshard.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad configuration: a clear message naming setting, value and what is allowed; the process exits with 2. */
class ConfigExitTest {
  private static final Map<String, String> VALID = Map.of(
      "VSHARD_NODE_ID", "demo-node-0",
      "VSHARD_INITIAL_MEMBERS", "demo-node-0@127.0.0.1,demo-node-1@127.0.0.2",
      "VSHARD_REPLICATION_FACTOR", "2");

  @TempDir
  Path dir;

  @Test
  void replicationFactorAboveMemberCountExitsWithTwo() throws Exception {
    NodeProcess process = NodeProcess.start(Map.of(
        "VSHARD_NODE_ID", "demo-node-0",
        "VSHARD_INITIAL_MEMBERS", "demo-node-0@127.0.0.1,demo-node-1@127.0.0.2",
        "VSHARD_REPLICATION_FACTOR", "3",
        "VSHARD_DATA_DIR", dir.resolve("data").toString()), dir.resolve("out.log"));
    assertThat(process.waitForExit(60)).isEqualTo(2);
    assertThat(process.output()).contains("VSHARD_REPLICATION_FACTOR='3'").contains("at most the number of initial members (2)");
  }

  @Test
  void parserNamesSettingValueAndAllowed() {
    assertThat(NodeConfigParser.parse(new String[0], VALID).replicationFactor()).isEqualTo(2);
    assertThat(NodeConfigParser.parse(new String[] {"--replication-factor", "1"}, VALID).replicationFactor())
        .as("the flag wins over the environment").isEqualTo(1);
    assertThat(NodeConfigParser.parse(new String[] {"--ghost-ttl=90s"}, VALID).ghostTtl()).isEqualTo(Duration.ofSeconds(90));
    assertRefused(with("VSHARD_VSHARDS", "zero"), "VSHARD_VSHARDS='zero'", "an integer from 1 to 4096");
    assertRefused(with("VSHARD_HTTP_PORT", "70000"), "VSHARD_HTTP_PORT='70000'", "from 1 to 65535");
    assertRefused(with("VSHARD_INITIAL_MEMBERS", "demo-node-0"), "VSHARD_INITIAL_MEMBERS='demo-node-0'", "id@host");
    assertRefused(with("VSHARD_INITIAL_MEMBERS", "a@h,a@h"), "VSHARD_INITIAL_MEMBERS", "each node id once");
    assertRefused(with("VSHARD_GHOST_TTL", "ten minutes"), "VSHARD_GHOST_TTL='ten minutes'", "500ms, 30s, 10m or 1h");
    assertRefused(with("VSHARD_INSTALL_THROTTLE", "-1"), "VSHARD_INSTALL_THROTTLE='-1'", "at least 0");
    assertRefused(with("VSHARD_NODE_ID", "Demo_Node"), "VSHARD_NODE_ID='Demo_Node'", "DNS label");
    assertRefused(with("VSHARD_LOG_COMMIT_INDEX", "yes"), "VSHARD_LOG_COMMIT_INDEX='yes'", "true or false");
    assertThat(NodeConfigParser.parse(new String[0], VALID).commitIndexInLog()).isFalse();
    assertThat(NodeConfigParser.parse(new String[] {"--log-commit-index", "true"}, VALID).commitIndexInLog()).isTrue();
    assertThatThrownBy(() -> NodeConfigParser.parse(new String[] {"--bogus", "1"}, VALID))
        .isInstanceOf(ConfigException.class).hasMessageContaining("--bogus").hasMessageContaining("--node-id");
    assertThatThrownBy(() -> NodeConfigParser.parse(new String[0], Map.of("VSHARD_NODE_ID", "n-0")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("VSHARD_INITIAL_MEMBERS").hasMessageContaining("required");
  }

  private static Map<String, String> with(String key, String value) {
    java.util.HashMap<String, String> env = new java.util.HashMap<>(VALID);
    env.put(key, value);
    return env;
  }

  private static void assertRefused(Map<String, String> env, String names, String allowed) {
    assertThatThrownBy(() -> NodeConfigParser.parse(new String[0], env))
        .isInstanceOf(ConfigException.class).hasMessageContaining(names).hasMessageContaining(allowed);
  }
}
