package dev.vshard.helm;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Bad values are refused by Helm with a message that names the value and what is wrong. */
class ValuesValidationTest {

  @Test
  void negativeDefaultTtlIsRefusedBySchema() {
    String message = Chart.renderFailure("""
        operator:
          defaultTtlSecondsAfterFinished: -5
        """);
    assertThat(message).contains("/operator/defaultTtlSecondsAfterFinished").contains("minimum").contains("-5");
  }

  @Test
  void unknownKeyIsRefusedBySchema() {
    String message = Chart.renderFailure("""
        nodes:
          replica: 5
        """);
    assertThat(message).contains("/nodes").contains("additional properties 'replica' not allowed");
  }

  @Test
  void unknownTopLevelKeyIsRefusedBySchema() {
    String message = Chart.renderFailure("""
        operatr:
          enabled: true
        """);
    assertThat(message).contains("additional properties 'operatr' not allowed");
  }

  @Test
  void wrongTypeIsRefusedBySchema() {
    String message = Chart.renderFailure("""
        nodes:
          vshards: many
        """);
    assertThat(message).contains("/nodes/vshards").contains("want integer");
  }

  @Test
  void watchNamespacesMustBeAList() {
    String message = Chart.renderFailure("""
        operator:
          watchNamespaces: team-a,team-b
        """);
    assertThat(message).contains("/operator/watchNamespaces").contains("want array");
  }

  @Test
  void badDurationIsRefusedBySchema() {
    String message = Chart.renderFailure("""
        nodes:
          ghostTtl: ten minutes
        """);
    assertThat(message).contains("/nodes/ghostTtl").contains("ten minutes");
  }

  @Test
  void replicationFactorAboveReplicasFailsInTheTemplate() {
    String message = Chart.renderFailure("""
        nodes:
          replicas: 2
          replicationFactor: 3
        """);
    assertThat(message).contains("nodes.replicationFactor: 3 is greater than nodes.replicas (2)")
        .contains("use a replicationFactor of at most 2");
  }

  @Test
  void replicationFactorAboveInitialMembersFailsInTheTemplate() {
    String message = Chart.renderFailure("""
        nodes:
          replicas: 5
          initialMembers: 2
          replicationFactor: 3
        """);
    assertThat(message).contains("nodes.replicationFactor: 3 is greater than nodes.initialMembers (2)");
  }

  @Test
  void moreInitialMembersThanReplicasFailsInTheTemplate() {
    String message = Chart.renderFailure("""
        nodes:
          replicas: 3
          initialMembers: 4
        """);
    assertThat(message).contains("nodes.initialMembers: 4 is greater than nodes.replicas (3)");
  }

  @Test
  void nodesOnlyNeedsTheOperatorsServiceAccount() {
    String message = Chart.renderFailure("""
        operator:
          enabled: false
        """);
    assertThat(message).contains("nodes.operatorAccess.serviceAccountName: required when operator.enabled=false");
  }

  @Test
  void installingNothingIsRefused() {
    String message = Chart.renderFailure("""
        operator:
          enabled: false
        nodes:
          enabled: false
        """);
    assertThat(message).contains("nothing to install");
  }

  @Test
  void invalidClusterNameIsRefused() {
    String message = Chart.renderFailure("""
        nodes:
          clusterName: Demo_1
        """);
    assertThat(message).contains("/nodes/clusterName").contains("Demo_1");
  }
}
