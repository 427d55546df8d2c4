package dev.vshard.operator.reconciler;

import dev.vshard.operator.migration.MigrationPhase;
import dev.vshard.operator.migration.Timestamps;
import dev.vshard.operator.model.VShardMigration;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.UUID;

/** Kubernetes Events (core/v1) about a migration: one per phase change, Warnings for failures. */
public class MigrationEvents {

  private static final Logger LOG = LoggerFactory.getLogger(MigrationEvents.class);
  static final String COMPONENT = "vshard-operator";

  private final KubernetesClient client;

  public MigrationEvents(KubernetesClient client) {
    this.client = client;
  }

  /** Records entering {@code phase}; Failed is a Warning whose reason is the failure reason. */
  public void phaseChanged(VShardMigration m, MigrationPhase from, MigrationPhase phase, Instant now) {
    boolean failed = phase == MigrationPhase.Failed;
    String reason = failed ? m.getStatus().getReason() : phase.name();
    String message = (from == null ? "" : from + " -> " + phase + ": ") + m.getStatus().getMessage();
    record(m, failed ? "Warning" : "Normal", reason, message, now);
  }

  /** A Warning that does not change the phase (e.g. the node refused the pause budget). */
  public void warning(VShardMigration m, String reason, String message, Instant now) {
    record(m, "Warning", reason, message, now);
  }

  public void normal(VShardMigration m, String reason, String message, Instant now) {
    record(m, "Normal", reason, message, now);
  }

  private void record(VShardMigration m, String type, String reason, String message, Instant now) {
    String ns = m.getMetadata().getNamespace();
    Event event = new EventBuilder()
        .withNewMetadata().withNamespace(ns)
        .withName(m.getMetadata().getName() + "." + UUID.randomUUID().toString().substring(0, 8)).endMetadata()
        .withNewInvolvedObject().withApiVersion(m.getApiVersion()).withKind(m.getKind())
        .withName(m.getMetadata().getName()).withNamespace(ns).withUid(m.getMetadata().getUid())
        .withResourceVersion(m.getMetadata().getResourceVersion()).endInvolvedObject()
        .withType(type).withReason(reason).withMessage(message)
        .withFirstTimestamp(Timestamps.format(now)).withLastTimestamp(Timestamps.format(now)).withCount(1)
        .withNewSource().withComponent(COMPONENT).endSource()
        .withReportingComponent(COMPONENT)
        .build();
    try {
      client.v1().events().inNamespace(ns).resource(event).create();
    } catch (KubernetesClientException e) {
      // an Event is a notification: losing one must not stop the migration, but say so
      LOG.warn("could not record Event {} for {}/{}: {}", reason, ns, m.getMetadata().getName(), e.getMessage());
    }
  }
}
