package dev.vshard.operator;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OperatorSettingsTest {

  @Test
  void defaultsFollowTheContract() {
    OperatorSettings s = OperatorSettings.fromEnv(Map.of());
    assertThat(s.watchNamespaces()).isEmpty();
    assertThat(s.maxConcurrentPerCluster()).isEqualTo(4);
    assertThat(s.defaultTtlSeconds()).isNull();
    assertThat(s.port()).isEqualTo(8080);
    assertThat(s.leaderElection()).isTrue();
    assertThat(s.podNamespace()).isEqualTo("default");
  }

  @Test
  void readsEveryVariable() {
    OperatorSettings s = OperatorSettings.fromEnv(Map.of("VSHARD_WATCH_NAMESPACES", "a, b", "VSHARD_MAX_CONCURRENT_PER_CLUSTER", "2",
        "VSHARD_DEFAULT_TTL_SECONDS", "600", "VSHARD_OPERATOR_PORT", "9090", "VSHARD_LEADER_ELECTION", "false",
        "POD_NAMESPACE", "ops", "HOSTNAME", "op-0"));
    assertThat(s.watchNamespaces()).containsExactly("a", "b");
    assertThat(s.maxConcurrentPerCluster()).isEqualTo(2);
    assertThat(s.defaultTtlSeconds()).isEqualTo(600);
    assertThat(s.port()).isEqualTo(9090);
    assertThat(s.leaderElection()).isFalse();
    assertThat(s.podNamespace()).isEqualTo("ops");
    assertThat(s.identity()).isEqualTo("op-0");
  }

  @Test
  void aBadValueNamesTheVariableTheValueAndWhatIsAllowed() {
    assertThatThrownBy(() -> OperatorSettings.fromEnv(Map.of("VSHARD_MAX_CONCURRENT_PER_CLUSTER", "zero")))
        .hasMessage("VSHARD_MAX_CONCURRENT_PER_CLUSTER is 'zero'; allowed: an integer 1..1000");
    assertThatThrownBy(() -> OperatorSettings.fromEnv(Map.of("VSHARD_LEADER_ELECTION", "yes")))
        .hasMessageContaining("VSHARD_LEADER_ELECTION is 'yes'");
  }
}
