package dev.vshard.helm;

/** Value sets the chart is rendered with: the defaults and the shapes people install. */
enum ValueSet {
  DEFAULTS(""),
  OPERATOR_ONLY("""
      nodes:
        enabled: false
      """),
  NODES_ONLY("""
      operator:
        enabled: false
      nodes:
        clusterName: shop
        operatorAccess:
          namespace: vshard-operators
          serviceAccountName: vshard-operator
      """),
  CUSTOM_V_RF("""
      nodes:
        clusterName: big
        replicas: 7
        initialMembers: 5
        vshards: 64
        replicationFactor: 5
        ports:
          http: 18080
          admin: 18081
          raft: 19870
      """),
  WATCH_NAMESPACES("""
      operator:
        replicas: 2
        watchNamespaces: [team-a, team-b]
        defaultTtlSecondsAfterFinished: 3600
        maxConcurrentPerCluster: 2
      """),
  EVERYTHING_ON("""
      operator:
        serviceMonitor:
          enabled: true
          labels: {release: prometheus}
      nodes:
        adminToken:
          existingSecret: true
        serviceMonitor:
          enabled: true
        storage:
          size: 50Gi
          storageClassName: fast-ssd
      """);

  private final String yaml;

  ValueSet(String yaml) {
    this.yaml = yaml;
  }

  String yaml() {
    return yaml;
  }

  Rendered render() {
    return Chart.render(yaml);
  }
}
