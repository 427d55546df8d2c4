package dev.vshard.operator.reconciler;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vshard.operator.model.VShardMigration;
import dev.vshard.operator.model.VShardMigrationSpec;
import java.util.Objects;
import java.util.Optional;

/**
 * The spec is immutable once the migration has left Pending (the CRD's CEL rule {@code self == oldSelf}).
 * An API server that applies no CEL, like local mode's, lets an edit through anyway; the reconciler then
 * keeps working from {@code status.acceptedSpec}, so a rollback still undoes what was really started.
 */
final class AcceptedSpec {
  private static final ObjectMapper JSON = new ObjectMapper();

  private AcceptedSpec() {
  }

  /**
   * Puts the accepted spec back in place of an edited one (in this reconcile's copy of the resource only).
   *
   * @return a message for a Warning Event when the edit is new (its generation not yet observed)
   */
  static Optional<String> pin(VShardMigration m) {
    VShardMigrationSpec accepted = m.getStatus() == null ? null : m.getStatus().getAcceptedSpec();
    if (accepted == null || sameJson(accepted, m.getSpec())) {
      return Optional.empty();
    }
    String edited = JSON.valueToTree(m.getSpec()).toString();
    m.setSpec(accepted);
    if (Objects.equals(m.getMetadata().getGeneration(), m.getStatus().getObservedGeneration())
        || m.getStatus().getPhase() == null || m.getStatus().getPhase().isTerminal()) {
      return Optional.empty();
    }
    return Optional.of("spec changed after the migration started (generation " + m.getMetadata().getGeneration()
        + ", now " + edited + "); a VShardMigration's spec is immutable, so the edit is ignored and the migration"
        + " goes on as accepted (status.acceptedSpec). To move something else, create a new VShardMigration.");
  }

  private static boolean sameJson(VShardMigrationSpec a, VShardMigrationSpec b) {
    return b != null && JSON.valueToTree(a).equals(JSON.valueToTree(b));
  }
}
