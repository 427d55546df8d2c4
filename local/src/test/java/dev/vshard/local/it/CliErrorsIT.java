package dev.vshard.local.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Errors that say what to do, through the same script; none of these starts a node. */
class CliErrorsIT {

  private static final Duration QUICK = Duration.ofMinutes(2);

  @TempDir
  Path temp;

  @Test
  void aManifestWithAnInvalidFieldIsRefusedNamingTheFieldAndLine() throws Exception {
    Path manifest = Files.writeString(temp.resolve("bad.yaml"), """
        apiVersion: vshard.dev/v1alpha1
        kind: VShardMigration
        metadata:
          name: bad-move
        spec:
          cluster: demo
          vshard: 1
          sourceNode: demo-node-1
          targetNode: demo-node-0
          writePauseBudget: 2 seconds
        """);

    VshardScript.Run run = VshardScript.start(temp, "demo", "--file", manifest.toString());

    assertThat(run.awaitExit(QUICK)).as(run.describe()).isEqualTo(2);
    assertThat(run.err()).contains("invalid manifest, nothing was started")
        .contains(manifest + ":10: spec.writePauseBudget is '2 seconds'; allowed: a duration like 500ms or 1m30s");
    assertThat(run.out()).doesNotContain("pod demo-node-0");
  }

  @Test
  void aManifestThatIsNotYamlNamesTheLine() throws Exception {
    Path manifest = Files.writeString(temp.resolve("broken.yaml"), "apiVersion: vshard.dev/v1alpha1\nkind: [VShardMigration\nspec: {}\n");

    VshardScript.Run run = VshardScript.start(temp, "validate", manifest.toString());

    assertThat(run.awaitExit(QUICK)).as(run.describe()).isEqualTo(2);
    assertThat(run.err()).containsPattern(java.util.regex.Pattern.quote(manifest.toString()) + ":[34]: not valid YAML");
  }

  @Test
  void aBusyApiPortIsNamed() throws Exception {
    try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      VshardScript.Run run = VshardScript.start(temp, "demo", "--api-port", String.valueOf(busy.getLocalPort()));

      assertThat(run.awaitExit(QUICK)).as(run.describe()).isEqualTo(3);
      assertThat(run.err()).contains("port 127.0.0.1:" + busy.getLocalPort() + " is in use");
    }
  }

  @Test
  void everyCommandHasHelp() throws Exception {
    for (String[] args : new String[][] {{"--help"}, {"demo", "--help"}, {"validate", "--help"}, {"help", "demo"}}) {
      VshardScript.Run run = VshardScript.start(temp, args);
      assertThat(run.awaitExit(QUICK)).as(String.join(" ", args) + "\n" + run.describe()).isZero();
      assertThat(run.out()).startsWith("Usage: vshard");
    }
  }
}
