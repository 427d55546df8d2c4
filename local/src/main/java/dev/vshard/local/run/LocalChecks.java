package dev.vshard.local.run;

import dev.vshard.local.manifest.Manifest;
import dev.vshard.local.manifest.ManifestException;
import java.util.ArrayList;
import java.util.List;

/** What a manifest must agree with in this local run: namespace, cluster name, vShard range, node names. */
public final class LocalChecks {

  private LocalChecks() {}

  public static List<ManifestException.Problem> problems(Manifest manifest, LocalSettings settings) {
    List<ManifestException.Problem> problems = new ArrayList<>();
    var spec = manifest.migration().getSpec();
    String namespace = manifest.migration().getMetadata().getNamespace();
    if (namespace != null && !LocalSettings.NAMESPACE.equals(namespace)) {
      problems.add(problem(manifest, "metadata.namespace", "metadata.namespace is '" + namespace + "'; the local node pods live in namespace '"
          + LocalSettings.NAMESPACE + "': remove the field or set it to " + LocalSettings.NAMESPACE));
    }
    if (!settings.clusterId().equals(spec.getCluster())) {
      problems.add(problem(manifest, "spec.cluster", "spec.cluster is '" + spec.getCluster() + "'; this local node cluster is '"
          + settings.clusterId() + "' (change the manifest or pass --cluster-id " + spec.getCluster() + ")"));
    }
    if (spec.getVshard() >= settings.vshards()) {
      problems.add(problem(manifest, "spec.vshard", "spec.vshard is " + spec.getVshard() + "; this local cluster has vShards 0.."
          + (settings.vshards() - 1) + " (--vshards " + settings.vshards() + ")"));
    }
    node(problems, manifest, settings, "spec.sourceNode", spec.getSourceNode());
    node(problems, manifest, settings, "spec.targetNode", spec.getTargetNode());
    return problems;
  }

  private static void node(List<ManifestException.Problem> problems, Manifest manifest, LocalSettings settings, String field, String node) {
    for (int ordinal = 0; ordinal < settings.nodes(); ordinal++) {
      if (settings.nodeId(ordinal).equals(node)) {
        return;
      }
    }
    problems.add(problem(manifest, field, field + " is '" + node + "'; this local cluster's nodes are " + settings.nodeId(0) + ".."
        + settings.nodeId(settings.nodes() - 1)));
  }

  private static ManifestException.Problem problem(Manifest manifest, String field, String message) {
    return new ManifestException.Problem(manifest.lineOf(field), message);
  }
}
