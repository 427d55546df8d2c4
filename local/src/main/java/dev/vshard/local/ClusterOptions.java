package dev.vshard.local;

import dev.vshard.local.run.LocalSettings;
import dev.vshard.testsupport.node.NodePorts;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import picocli.CommandLine.Option;

/** The local cluster's shape: shared by commands that start one. */
final class ClusterOptions {

  @Option(names = "--cluster-id", defaultValue = "demo", description = "node cluster name; pods are <id>-node-<i> (default: ${DEFAULT-VALUE})")
  String clusterId;

  @Option(names = "--nodes", defaultValue = "4", description = "node processes (default: ${DEFAULT-VALUE})")
  int nodes;

  @Option(names = "--vshards", defaultValue = "8", description = "vShards V, each its own Raft group (default: ${DEFAULT-VALUE})")
  int vshards;

  @Option(names = "--replication-factor", defaultValue = "3", description = "replicas per vShard (default: ${DEFAULT-VALUE})")
  int replicationFactor;

  @Option(names = "--sample-keys", defaultValue = "2000", description = "keys written before the migration and read back after it (default: ${DEFAULT-VALUE})")
  int sampleKeys;

  @Option(names = "--api-port", defaultValue = "0", description = "kubectl port of the embedded API on 127.0.0.1; 0 = any free port (default: ${DEFAULT-VALUE})")
  int apiPort;

  @Option(names = "--node-ports", defaultValue = "8080,8081,9870", split = ",", arity = "1",
      description = "http,admin,raft ports every node listens on, each on its own 127.x.y.z address (default: ${DEFAULT-VALUE})")
  int[] nodePorts;

  @Option(names = "--work-dir", paramLabel = "DIR", description = "keep node data and logs here (default: a temporary directory, removed at the end)")
  Path workDir;

  @Option(names = "--node-jar", paramLabel = "JAR", description = "run nodes from this jar, e.g. node-image/target/vshard-node.jar (default: this program's own jar)")
  Path nodeJar;

  LocalSettings settings(Duration timeout) {
    if (nodes < 1 || nodes > 250) {
      throw new LocalModeException(ExitCodes.INVALID_INPUT, "--nodes is " + nodes + "; allowed: 1..250", null);
    }
    if (replicationFactor < 1 || replicationFactor > nodes) {
      throw new LocalModeException(ExitCodes.INVALID_INPUT, "--replication-factor is " + replicationFactor
          + "; allowed: 1..--nodes (" + nodes + ")", null);
    }
    if (vshards < 1 || vshards > 256) {
      throw new LocalModeException(ExitCodes.INVALID_INPUT, "--vshards is " + vshards + "; allowed: 1..256 (each is a Raft group on a laptop)", null);
    }
    if (nodePorts.length != 3) {
      throw new LocalModeException(ExitCodes.INVALID_INPUT, "--node-ports needs three ports http,admin,raft, e.g. 8080,8081,9870", null);
    }
    return new LocalSettings(clusterId, nodes, vshards, replicationFactor, new NodePorts(nodePorts[0], nodePorts[1], nodePorts[2]),
        apiPort, Optional.ofNullable(workDir), Optional.ofNullable(nodeJar), sampleKeys, timeout);
  }
}
