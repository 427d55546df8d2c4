package dev.vshard.local;

import dev.vshard.local.manifest.ManifestException;
import dev.vshard.local.manifest.ManifestLoader;
import dev.vshard.local.run.LocalSettings;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** What a person types next when local mode stays up: exact kubectl commands against the written kubeconfig. */
final class KeepRunningBanner {

  static final String UP_LINE = "vshard local is up; kubeconfig: ";
  private static final String SECOND_EXAMPLE = "examples/second-migration.yaml";

  private final PrintStream out;
  private final Path kubeconfig;
  private final Path home;

  KeepRunningBanner(PrintStream out, Path kubeconfig, Path home) {
    this.out = out;
    this.kubeconfig = kubeconfig;
    this.home = home;
  }

  void print(int nodes, LocalSettings settings) {
    Path example = home.resolve(SECOND_EXAMPLE).normalize();
    String shown = Files.exists(Path.of(SECOND_EXAMPLE)) ? SECOND_EXAMPLE : example.toString();
    String name = migrationName(example);
    String kubectl = "kubectl --kubeconfig " + kubeconfig;
    out.println();
    out.println("Local mode stays up (" + nodes + " node pods of cluster '" + settings.clusterId() + "', the operator, the embedded API).");
    out.println("Drive it with kubectl (v1.2x); Ctrl-C stops every process and removes the temporary files:");
    out.println();
    out.println("  " + kubectl + " get pods -o wide");
    out.println("  " + kubectl + " apply --validate=false -f " + shown);
    out.println("  " + kubectl + " get vsm");
    out.println("  " + kubectl + " describe vsm " + name);
    out.println("  " + kubectl + " wait --for=condition=Ready vsm/" + name + " --timeout=5m");
    out.println("  " + kubectl + " get vsm " + name + " -o yaml");
    out.println("  " + kubectl + " delete vsm " + name);
    out.println();
    out.println("Why --validate=false: kubectl validates client-side with the server's OpenAPI documents, which the embedded API");
    out.println("does not serve. Manifests are still checked: the operator validates every spec with the CRD's rules and marks a");
    out.println("bad one Failed with a reason naming the field (`./vshard validate FILE` runs the same checks before you apply).");
    out.println("Server-side apply (--server-side) is not supported by the embedded API. See docs/local-mode.md.");
    out.println();
    out.println(UP_LINE + kubeconfig);
    out.flush();
  }

  private static String migrationName(Path example) {
    try {
      return new ManifestLoader().load(example).name();
    } catch (ManifestException e) {
      return "<name>";
    }
  }
}
