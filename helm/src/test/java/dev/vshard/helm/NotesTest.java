package dev.vshard.helm;

import com.marcnuri.helm.DryRun;
import com.marcnuri.helm.Helm;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What helm install prints afterwards (NOTES.txt) tells the person what to do next. */
class NotesTest {

  @Test
  void notesTellHowToApplyAndWatchAMigration() {
    String out = installOutput("");
    assertThat(out).contains("NOTES:")
        .contains("kind: VShardMigration").contains("cluster: demo")
        .contains("kubectl -n " + Chart.NAMESPACE + " get vsm -w")
        .contains("wait vsm/move-vshard-3 --for=condition=Ready")
        .contains("rollout status statefulset/demo-node")
        .contains("kubectl delete vsm --all -A")
        .contains("kubectl apply -f");
  }

  @Test
  void operatorOnlyNotesPointAtInstallingANodeCluster() {
    String out = installOutput("nodes:\n  enabled: false\n");
    assertThat(out).contains("install a node cluster").doesNotContain("statefulset/");
  }

  /** helm install --dry-run=client: renders like install, talks to no cluster, prints the notes. */
  private static String installOutput(String values) {
    try {
      java.nio.file.Path file = java.nio.file.Files.createTempFile("vshard-notes-", ".yaml");
      file.toFile().deleteOnExit();
      java.nio.file.Files.writeString(file, values);
      return new Helm(Chart.dir()).install().withName(Chart.RELEASE).withNamespace(Chart.NAMESPACE)
          .withKubeVersion(Chart.KUBE_VERSION).withValuesFile(file)
          .dryRun().withDryRunOption(DryRun.CLIENT).clientOnly().call().getOutput();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
