package dev.vshard.testsupport.node;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Starts one node JVM the way a pod would run it: the contract's environment variables, its own
 * loopback address, stdout and stderr appended to {@code logs/<node>.log}.
 */
final class NodeLauncher {

  private final NodeClusterSettings settings;

  NodeLauncher(NodeClusterSettings settings) {
    this.settings = settings;
  }

  Process launch(String nodeId, String host, String why) {
    Path log = settings.logDir().resolve(nodeId + ".log");
    try {
      Files.createDirectories(settings.logDir());
      Files.createDirectories(settings.dataDir(nodeId));
      Files.writeString(log, "===== " + Instant.now() + " " + why + " " + nodeId + " on " + host + " =====\n",
          StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      ProcessBuilder builder = new ProcessBuilder(command()).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).directory(settings.workDir().toFile());
      environment(builder.environment(), nodeId, host);
      return builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start node " + nodeId + " (log " + log + ")", e);
    }
  }

  private List<String> command() {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(settings.jvmOptions());
    if (settings.nodeJar().isPresent()) {
      command.add("-jar");
      command.add(settings.nodeJar().get().toString());
    } else {
      command.add("-cp");
      command.add(settings.classpath());
      command.add(NodeClusterSettings.NODE_MAIN_CLASS);
    }
    return command;
  }

  private void environment(Map<String, String> env, String nodeId, String host) {
    // settings leaking from the caller's environment would change what the node does
    env.keySet().removeIf(name -> name.startsWith("VSHARD_") || name.equals("JAVA_TOOL_OPTIONS"));
    env.put("VSHARD_NODE_ID", nodeId);
    env.put("VSHARD_CLUSTER_ID", settings.clusterId());
    env.put("VSHARD_ADVERTISE_HOST", host);
    env.put("VSHARD_BIND_HOST", host);
    env.put("VSHARD_HTTP_PORT", String.valueOf(settings.ports().http()));
    env.put("VSHARD_ADMIN_PORT", String.valueOf(settings.ports().admin()));
    env.put("VSHARD_RAFT_PORT", String.valueOf(settings.ports().raft()));
    env.put("VSHARD_DATA_DIR", settings.dataDir(nodeId).toString());
    env.put("VSHARD_INITIAL_MEMBERS", settings.initialMembersValue());
    env.put("VSHARD_VSHARDS", String.valueOf(settings.vshards()));
    env.put("VSHARD_REPLICATION_FACTOR", String.valueOf(settings.replicationFactor()));
    env.put("VSHARD_ADMIN_TOKEN_FILE", settings.adminTokenFile().toString());
    env.putAll(settings.extraEnv());
  }
}
