package dev.vshard.local;

import dev.vshard.local.manifest.Manifest;
import dev.vshard.local.manifest.ManifestException;
import dev.vshard.local.manifest.ManifestLoader;
import dev.vshard.local.progress.ProgressView;
import dev.vshard.local.run.FinalReport;
import dev.vshard.local.run.LocalChecks;
import dev.vshard.local.run.LocalSettings;
import dev.vshard.local.run.LiveTraffic;
import dev.vshard.local.run.LocalStack;
import dev.vshard.local.run.MigrationWatcher;
import dev.vshard.local.run.SampleData;
import dev.vshard.operator.migration.MigrationPhase;
import dev.vshard.operator.model.VShardMigration;
import dev.vshard.operator.spec.KubernetesDuration;
import dev.vshard.testsupport.node.NodeProcess;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ./vshard demo}: the README's first command. */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Run a vShard migration end to end on this machine.",
        "Starts an embedded Kubernetes API with the CRD, a node cluster as local processes registered as Pods,",
        "sample data and the operator, then applies the manifest.",
        "Shows live progress, then the final status as YAML and a one-line summary.",
        "Exits 0 when the migration Completed, 1 when it Failed or timed out, 2 for a bad manifest, 3 for the environment."})
final class DemoCommand implements Callable<Integer> {

  @Option(names = {"-f", "--file"}, paramLabel = "MANIFEST", defaultValue = "${env:VSHARD_HOME:-.}/examples/migration.yaml",
      description = "the VShardMigration to apply (default: ${DEFAULT-VALUE})")
  private Path file;

  @Option(names = "--keep-running", description = "stay up after the migration, write a kubeconfig and print kubectl commands; Ctrl-C stops everything")
  private boolean keepRunning;

  @Option(names = "--kubeconfig", paramLabel = "FILE", defaultValue = "${env:VSHARD_HOME:-.}/.vshard-local/kubeconfig",
      description = "where --keep-running writes the kubeconfig (removed at the end; default: ${DEFAULT-VALUE})")
  private Path kubeconfig;

  @Mixin
  private ClusterOptions cluster;

  @Option(names = "--timeout", defaultValue = "10m", description = "give up when the migration has not finished after this long (default: ${DEFAULT-VALUE})")
  private String timeout;

  @Option(names = "--progress", defaultValue = "auto", description = "auto (a live line on a terminal, plain lines otherwise), terminal or plain")
  private String progress;

  @Option(names = {"-v", "--verbose"}, description = "show the operator's log lines")
  private boolean verbose;

  private final PrintStream out = System.out;

  @Override
  public Integer call() throws Exception {
    LocalSettings settings = cluster.settings(parseTimeout());
    Manifest manifest = load(settings);
    try (LocalStack stack = new LocalStack(settings, line -> out.println("vshard: " + line))) {
      stack.startApi().startNodes();
      SampleData sample = writeSampleData(stack, settings, manifest.effective().vshard());
      stack.startOperator();
      int vshard = manifest.effective().vshard();
      out.println("vshard: writing to vShard " + vshard + " while it moves; applying " + manifest.file() + " (vsm/" + manifest.name() + ")");
      LiveTraffic traffic = LiveTraffic.start(nodeUris(stack), vshard, settings.vshards());
      VShardMigration finished = follow(stack, manifest, settings, traffic);
      boolean completed = finished.getStatus().getPhase() == MigrationPhase.Completed;
      java.net.URI owner = stack.cluster().node(completed ? manifest.effective().targetNode() : manifest.effective().sourceNode()).httpUri();
      LiveTraffic.Result live = traffic.stopAndVerify(owner);
      SampleData.Verification verification = completed ? sample.verify(vshard, owner) : null;
      FinalReport report = new FinalReport(stack.client().getKubernetesSerialization());
      out.println();
      out.print(report.yaml(finished));
      out.println();
      out.println(report.summary(finished, verification, live));
      int exitCode = exitCode(finished, verification, live);
      if (keepRunning) {
        stayUp(stack, settings);
      }
      return exitCode;
    }
  }

  private Manifest load(LocalSettings settings) {
    try {
      Manifest manifest = new ManifestLoader().load(file);
      List<ManifestException.Problem> problems = LocalChecks.problems(manifest, settings);
      if (!problems.isEmpty()) {
        throw new ManifestException(file, problems);
      }
      return manifest;
    } catch (ManifestException e) {
      throw new LocalModeException(ExitCodes.INVALID_INPUT, "invalid manifest, nothing was started\n" + e.getMessage(), e);
    }
  }

  private static List<java.net.URI> nodeUris(LocalStack stack) {
    return stack.cluster().nodes().stream().map(NodeProcess::httpUri).toList();
  }

  private SampleData writeSampleData(LocalStack stack, LocalSettings settings, int vshard) {
    SampleData sample = new SampleData(nodeUris(stack), settings.vshards());
    int written = sample.write(settings.sampleKeys()).join();
    out.println("vshard: wrote " + written + " sample keys through the data API (" + sample.keysIn(vshard) + " in vShard " + vshard + ")");
    return sample;
  }

  private VShardMigration follow(LocalStack stack, Manifest manifest, LocalSettings settings, LiveTraffic traffic) {
    ProgressView view = ProgressView.forOutput(out, "terminal".equals(progress) || ("auto".equals(progress) && System.console() != null));
    try {
      return new MigrationWatcher(stack.client(), view).applyAndAwait(manifest.migration(), settings.timeout());
    } catch (TimeoutException e) {
      traffic.stop();
      throw new LocalModeException(ExitCodes.MIGRATION_FAILED, e.getMessage() + " (raise --timeout, or rerun with --verbose)", e);
    }
  }

  private static int exitCode(VShardMigration finished, SampleData.Verification verification, LiveTraffic.Result live) {
    if (!live.lost().isEmpty()) {
      System.err.println("error: acknowledged writes to vShard " + finished.getSpec().getVshard() + " are missing after the run: " + live.lost());
      return ExitCodes.MIGRATION_FAILED;
    }
    if (finished.getStatus().getPhase() != MigrationPhase.Completed) {
      System.err.println("error: vsm/" + finished.getMetadata().getName() + " Failed: " + finished.getStatus().getReason() + ": "
          + finished.getStatus().getMessage());
      return ExitCodes.MIGRATION_FAILED;
    }
    if (verification != null && !verification.allMatched()) {
      System.err.println("error: sample keys of vShard " + verification.vshard() + " differ after the move: " + verification.mismatches());
      return ExitCodes.MIGRATION_FAILED;
    }
    return ExitCodes.OK;
  }

  private void stayUp(LocalStack stack, LocalSettings settings) throws InterruptedException {
    Path written = stack.writeKubeconfig(kubeconfig.toAbsolutePath().normalize());
    new KeepRunningBanner(out, written, Optional.ofNullable(System.getenv("VSHARD_HOME")).map(Path::of).orElse(Path.of(".")))
        .print(stack.cluster().nodes().size(), settings);
    // until Ctrl-C / SIGTERM: the shutdown hook closes the stack
    new CountDownLatch(1).await();
  }

  private java.time.Duration parseTimeout() {
    try {
      return KubernetesDuration.parse(timeout);
    } catch (IllegalArgumentException e) {
      throw new LocalModeException(ExitCodes.INVALID_INPUT, "--timeout " + e.getMessage(), e);
    }
  }
}
