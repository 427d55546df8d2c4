package dev.vshard.local.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vshard.local.run.LocalChecks;
import dev.vshard.local.run.LocalSettings;
import dev.vshard.testsupport.node.NodePorts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestLoaderTest {

  private static final String VALID = """
      apiVersion: vshard.dev/v1alpha1
      kind: VShardMigration
      metadata:
        name: move-vshard-0
      spec:
        cluster: demo
        vshard: 0
        sourceNode: demo-node-0
        targetNode: demo-node-3
      """;

  @TempDir
  Path temp;

  private final ManifestLoader loader = new ManifestLoader();

  @Test
  void aValidManifestGetsTheCrdDefaults() throws Exception {
    Manifest manifest = loader.load(write(VALID));

    assertThat(manifest.name()).isEqualTo("move-vshard-0");
    assertThat(manifest.effective().writePauseBudget()).isEqualTo(Duration.ofMillis(500));
    assertThat(manifest.effective().catchUpThreshold()).isEqualTo(100);
    assertThat(manifest.effective().catchUpTimeout()).isEqualTo(Duration.ofMinutes(10));
  }

  @Test
  void theShippedExamplesAreValidForTheDemoCluster() throws Exception {
    for (String example : new String[] {"migration.yaml", "second-migration.yaml"}) {
      Manifest manifest = loader.load(Path.of("..", "examples", example));
      assertThat(LocalChecks.problems(manifest, demo())).as(example).isEmpty();
    }
  }

  @Test
  void brokenYamlNamesTheFileAndLine() throws Exception {
    Path file = write(VALID.replace("  vshard: 0", "  vshard: [0"));

    assertThatThrownBy(() -> loader.load(file)).isInstanceOf(ManifestException.class)
        .hasMessageStartingWith(file + ":").hasMessageContaining("not valid YAML")
        .satisfies(e -> assertThat(((ManifestException) e).problems().get(0).line()).isBetween(7, 10));
  }

  @Test
  void anUnknownSpecFieldIsNamedWithItsLine() throws Exception {
    Path file = write(VALID.replace("targetNode: demo-node-3", "targetNode: demo-node-3\n  targetNodes: demo-node-2"));

    assertThatThrownBy(() -> loader.load(file)).hasMessage(file + ":10: spec.targetNodes is not a field of a VShardMigration spec; "
        + "known fields: catchUpThreshold, catchUpTimeout, cluster, sourceNode, targetNode, transferLeadership, ttlSecondsAfterFinished, "
        + "vshard, writePauseBudget");
  }

  @Test
  void aMistypedFieldIsNamed() throws Exception {
    Path file = write(VALID.replace("vshard: 0", "vshard: zero"));

    assertThatThrownBy(() -> loader.load(file)).hasMessageStartingWith(file + ":7: spec.vshard has the wrong type");
  }

  @Test
  void theCrdRulesComeFromTheOperatorsValidatorAndNameFieldValueAndWhatIsAllowed() throws Exception {
    Path file = write(VALID.replace("demo-node-3", "demo-node-0") + "  writePauseBudget: 5 minutes\n");

    assertThatThrownBy(() -> loader.load(file)).isInstanceOf(ManifestException.class)
        .hasMessageContaining(file + ":9: spec.targetNode is 'demo-node-0'; sourceNode and targetNode must differ")
        .hasMessageContaining(file + ":10: spec.writePauseBudget is '5 minutes'; allowed: a duration like 500ms");
  }

  @Test
  void wrongKindAndMissingSpecAreNamed() throws Exception {
    Path file = write("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n");

    assertThatThrownBy(() -> loader.load(file)).hasMessageContaining(file + ":1: apiVersion is 'v1'; expected 'vshard.dev/v1alpha1'")
        .hasMessageContaining(file + ":2: kind is 'ConfigMap'; expected 'VShardMigration'").hasMessageContaining("spec is missing");
  }

  @Test
  void theLocalClusterChecksNameClusterVshardAndNodes() throws Exception {
    Manifest manifest = loader.load(write(VALID.replace("cluster: demo", "cluster: prod").replace("vshard: 0", "vshard: 9")
        .replace("demo-node-3", "demo-node-7")));

    assertThat(LocalChecks.problems(manifest, demo())).extracting(ManifestException.Problem::message).containsExactly(
        "spec.cluster is 'prod'; this local node cluster is 'demo' (change the manifest or pass --cluster-id prod)",
        "spec.vshard is 9; this local cluster has vShards 0..7 (--vshards 8)",
        "spec.targetNode is 'demo-node-7'; this local cluster's nodes are demo-node-0..demo-node-3");
  }

  @Test
  void aMissingFileSaysWhatToDo() {
    assertThatThrownBy(() -> loader.load(temp.resolve("nope.yaml"))).hasMessageContaining("nope.yaml: no such file; give a manifest with --file");
  }

  private static LocalSettings demo() {
    return new LocalSettings("demo", 4, 8, 3, NodePorts.DEFAULTS, 0, Optional.empty(), Optional.empty(), 100, Duration.ofMinutes(1));
  }

  private Path write(String yaml) throws Exception {
    return Files.writeString(temp.resolve("m.yaml"), yaml);
  }
}
