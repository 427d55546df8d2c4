package dev.vshard.testsupport.node;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything that is the same for all nodes of one cluster. Built by {@link NodeClusterBuilder}.
 *
 * @param nodeJar the runnable node jar; empty = run {@code dev.vshard.node.NodeMain} from {@code classpath}
 * @param extraEnv further node settings (e.g. {@code VSHARD_INSTALL_THROTTLE}); may override the defaults
 */
public record NodeClusterSettings(String clusterId, int initialMembers, int vshards, int replicationFactor,
    NodePorts ports, LoopbackAddresses addresses, Path workDir, Optional<Path> nodeJar, String classpath,
    List<String> jvmOptions, Map<String, String> extraEnv, Duration readyTimeout, String adminToken) {

  public static final String NODE_MAIN_CLASS = "dev.vshard.node.NodeMain";

  /** Pod name = node id: {@code <cluster>-node-<ordinal>}. */
  public String nodeId(int ordinal) {
    return clusterId + "-node-" + ordinal;
  }

  /** {@code VSHARD_INITIAL_MEMBERS}: {@code id@address} of ordinals 0..initialMembers-1. */
  public String initialMembersValue() {
    StringBuilder members = new StringBuilder();
    for (int ordinal = 0; ordinal < initialMembers; ordinal++) {
      members.append(ordinal == 0 ? "" : ",").append(nodeId(ordinal)).append('@').append(addresses.forOrdinal(ordinal));
    }
    return members.toString();
  }

  public Path adminTokenFile() {
    return workDir.resolve("admin-token");
  }

  public Path logDir() {
    return workDir.resolve("logs");
  }

  public Path dataDir(String nodeId) {
    return workDir.resolve("data").resolve(nodeId);
  }
}
