package dev.vshard.local;

import dev.vshard.local.manifest.Manifest;
import dev.vshard.local.manifest.ManifestException;
import dev.vshard.local.manifest.ManifestLoader;
import dev.vshard.operator.spec.EffectiveSpec;
import dev.vshard.operator.spec.KubernetesDuration;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code ./vshard validate FILE}: the checks the demo runs before starting anything, alone. */
@Command(name = "validate", mixinStandardHelpOptions = true,
    description = {"Check a VShardMigration manifest without starting anything.",
        "Applies the CRD's rules (the operator's own validator) and prints the spec with its defaults.",
        "Errors name the file, the line and the field; the exit code is 2 when the manifest is not valid."})
final class ValidateCommand implements Callable<Integer> {

  @Parameters(paramLabel = "FILE", description = "the manifest, e.g. examples/migration.yaml")
  private Path file;

  @Override
  public Integer call() {
    try {
      Manifest manifest = new ManifestLoader().load(file);
      EffectiveSpec spec = manifest.effective();
      System.out.println(file + ": valid VShardMigration '" + manifest.name() + "': move vShard " + spec.vshard() + " of cluster "
          + spec.cluster() + " from " + spec.sourceNode() + " to " + spec.targetNode() + "; writePauseBudget "
          + KubernetesDuration.format(spec.writePauseBudget()) + ", catchUpThreshold " + spec.catchUpThreshold() + ", catchUpTimeout "
          + KubernetesDuration.format(spec.catchUpTimeout()) + ", transferLeadership " + spec.transferLeadership()
          + ", ttlSecondsAfterFinished " + (spec.ttlSecondsAfterFinished() == null ? "unset (kept)" : spec.ttlSecondsAfterFinished()));
      return ExitCodes.OK;
    } catch (ManifestException e) {
      System.err.println("error: invalid manifest\n" + e.getMessage());
      return ExitCodes.INVALID_INPUT;
    }
  }
}
