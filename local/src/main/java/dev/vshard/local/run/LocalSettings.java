package dev.vshard.local.run;

import dev.vshard.testsupport.node.NodePorts;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * What one local run starts.
 *
 * @param apiPort the kubectl port of the embedded API (0 = any free port)
 * @param workDir node data and logs; empty = a temporary directory removed at the end
 * @param nodeJar run nodes from this jar; empty = from this program's own classpath
 */
public record LocalSettings(String clusterId, int nodes, int vshards, int replicationFactor, NodePorts nodePorts, int apiPort,
    Optional<Path> workDir, Optional<Path> nodeJar, int sampleKeys, Duration timeout) {

  public static final String NAMESPACE = "default";

  public String nodeId(int ordinal) {
    return clusterId + "-node-" + ordinal;
  }
}
