package dev.vshard.local.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vshard.testsupport.kube.Kubectl;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./vshard demo --keep-running} driven with the machine's kubectl, then stopped like Ctrl-C would. */
class KeepRunningIT {

  private static final Duration KUBECTL = Duration.ofMinutes(2);

  @TempDir
  Path temp;

  @Test
  void kubectlAppliesGetsWaitsForAndDeletesASecondMigration() throws Exception {
    Path kubeconfig = temp.resolve("kubeconfig");
    VshardScript.Run run = VshardScript.start(temp, "demo", "--keep-running", "--kubeconfig", kubeconfig.toString());
    try {
      await().atMost(Duration.ofMinutes(12)).pollInterval(Duration.ofSeconds(1)).until(() -> {
        if (!run.process().isAlive()) {
          throw new AssertionError("./vshard demo --keep-running exited with " + run.process().exitValue() + "\n" + run.describe());
        }
        return run.out().contains("vshard local is up; kubeconfig: " + kubeconfig);
      });
      assertThat(run.out()).contains("kubectl --kubeconfig " + kubeconfig + " apply --validate=false -f examples/second-migration.yaml")
          .contains("kubectl --kubeconfig " + kubeconfig + " wait --for=condition=Ready vsm/move-vshard-5");
      Kubectl kubectl = new Kubectl(kubeconfig, temp.resolve("kubectl-cache"));
      Path second = VshardScript.repo().resolve("examples/second-migration.yaml");

      assertThat(ok(kubectl.run(KUBECTL, "apply", "--validate=false", "-f", second.toString()))).contains("vshardmigration.vshard.dev/move-vshard-5 created");

      String table = ok(kubectl.run(KUBECTL, "get", "vsm", "move-vshard-5"));
      assertThat(table.lines().findFirst().orElseThrow()).contains("NAME").contains("VSHARD").contains("SOURCE").contains("TARGET").contains("PHASE");
      assertThat(table).contains("move-vshard-5").contains("demo-node-1").contains("demo-node-0");

      assertThat(ok(kubectl.run(Duration.ofMinutes(10), "wait", "--for=condition=Ready", "vsm/move-vshard-5", "--timeout=8m")))
          .contains("condition met");
      assertThat(ok(kubectl.run(KUBECTL, "get", "vsm", "move-vshard-5", "-o", "jsonpath={.status.phase}"))).isEqualTo("Completed");
      assertThat(ok(kubectl.run(KUBECTL, "describe", "vsm", "move-vshard-5"))).contains("Events:").contains("Completed");

      assertThat(ok(kubectl.run(KUBECTL, "delete", "vsm", "move-vshard-5"))).contains("\"move-vshard-5\" deleted");
      Kubectl.Result gone = kubectl.run(KUBECTL, "get", "vsm", "move-vshard-5");
      assertThat(gone.exitCode()).as(gone.describe()).isNotZero();
      assertThat(gone.stderr()).contains("not found");
    } finally {
      List<Long> nodePids = run.nodePids();
      run.process().destroy(); // SIGTERM, as Ctrl-C or a service manager would stop it
      run.awaitExit(Duration.ofMinutes(2));
      run.assertNothingLeftRunning(nodePids);
      assertThat(kubeconfig).doesNotExist();
    }
  }

  private static String ok(Kubectl.Result result) {
    assertThat(result.exitCode()).as(result.describe()).isZero();
    return result.stdout();
  }
}
