package dev.vshard.operator.model;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * A request to move one vShard's replica from {@code sourceNode} to {@code targetNode} in one node
 * cluster. The CRD in {@code crds/} is generated from this class, its spec and its status.
 */
@Group("vshard.dev")
@Version("v1alpha1")
@Kind("VShardMigration")
@Plural("vshardmigrations")
@Singular("vshardmigration")
@ShortNames("vsm")
@AdditionalPrinterColumn(name = "vShard", jsonPath = ".spec.vshard", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Source", jsonPath = ".spec.sourceNode", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Target", jsonPath = ".spec.targetNode", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Phase", jsonPath = ".status.phase", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Elapsed", jsonPath = ".status.elapsed", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class VShardMigration extends CustomResource<VShardMigrationSpec, VShardMigrationStatus>
    implements Namespaced {
}
