package dev.vshard.local.manifest;

import dev.vshard.operator.model.VShardMigration;
import dev.vshard.operator.spec.EffectiveSpec;
import java.nio.file.Path;

/**
 * A parsed and validated VShardMigration manifest.
 *
 * @param effective the spec with the CRD's defaults applied (what the operator will work with)
 */
public record Manifest(Path file, VShardMigration migration, EffectiveSpec effective, String text) {

  public String name() {
    return migration.getMetadata().getName();
  }

  /** 1-based line of a field like {@code spec.targetNode}; 0 when it cannot be found. */
  public int lineOf(String field) {
    return new FieldLines(text).lineOf(field);
  }
}
