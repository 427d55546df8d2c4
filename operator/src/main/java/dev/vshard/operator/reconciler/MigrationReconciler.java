package dev.vshard.operator.reconciler;

import dev.vshard.operator.metrics.MigrationMetrics;
import dev.vshard.operator.migration.CancelOutcome;
import dev.vshard.operator.migration.MigrationPhase;
import dev.vshard.operator.migration.MigrationStateMachine;
import dev.vshard.operator.migration.StepContext;
import dev.vshard.operator.migration.StepOutcome;
import dev.vshard.operator.model.VShardMigration;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.MaxReconciliationInterval;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Thin: observe the node cluster, let the state machine take at most one step, write the status,
 * reschedule. Finished migrations are only garbage-collected. Deletion runs {@link #cleanup}.
 */
@ControllerConfiguration(name = MigrationReconciler.NAME,
    // a safety net: a migration is looked at again even if every scheduled retry was lost
    maxReconciliationInterval = @MaxReconciliationInterval(interval = 1, timeUnit = TimeUnit.MINUTES))
public class MigrationReconciler implements Reconciler<VShardMigration>, Cleaner<VShardMigration> {

  public static final String NAME = "vshardmigration";
  private static final Logger LOG = LoggerFactory.getLogger(MigrationReconciler.class);

  private final MigrationStateMachine machine;
  private final ClusterObserver observer;
  private final MigrationQueue queue;
  private final TtlPolicy ttl;
  private final MigrationEvents events;
  private final MigrationMetrics metrics;
  private final Clock clock;

  public MigrationReconciler(MigrationStateMachine machine, ClusterObserver observer, MigrationQueue queue,
                             TtlPolicy ttl, MigrationEvents events, MigrationMetrics metrics, Clock clock) {
    this.machine = machine;
    this.observer = observer;
    this.queue = queue;
    this.ttl = ttl;
    this.events = events;
    this.metrics = metrics;
    this.clock = clock;
  }

  @Override
  public UpdateControl<VShardMigration> reconcile(VShardMigration m, Context<VShardMigration> context) {
    Instant now = clock.instant();
    AcceptedSpec.pin(m).ifPresent(message -> events.warning(m, "SpecChangeIgnored", message, now));
    if (m.getStatus() != null && m.getStatus().getPhase() != null && m.getStatus().getPhase().isTerminal()) {
      return collectGarbage(m, context, now);
    }
    MigrationPhase before = m.getStatus() == null ? null : m.getStatus().getPhase();
    StepContext observed = observer.observe(m, queue.gateFor(m, context.getPrimaryCache().list().toList()), now);
    StepOutcome outcome = machine.step(observed);
    MigrationPhase after = outcome.status().getPhase();
    if (after != before) {
      LOG.info("{}/{}: {} -> {} ({}: {})", m.getMetadata().getNamespace(), m.getMetadata().getName(), before, after,
          outcome.status().getReason(), outcome.status().getMessage());
      events.phaseChanged(m, before, after, now);
      metrics.phaseChanged(outcome.status());
    }
    m.setStatus(outcome.status());
    UpdateControl<VShardMigration> control = outcome.changed() ? UpdateControl.patchStatus(m) : UpdateControl.noUpdate();
    Optional<Duration> next = after.isTerminal() ? ttl.timeLeft(m, now) : outcome.requeueAfter();
    next.ifPresent(d -> control.rescheduleAfter(Math.max(d.toMillis(), 1)));
    return control;
  }

  @Override
  public DeleteControl cleanup(VShardMigration m, Context<VShardMigration> context) {
    Instant now = clock.instant();
    AcceptedSpec.pin(m);
    MigrationPhase before = m.getStatus() == null ? null : m.getStatus().getPhase();
    StepContext observed = observer.observe(m, queue.gateFor(m, context.getPrimaryCache().list().toList()), now);
    CancelOutcome outcome = machine.cancel(observed);
    if (outcome.done()) {
      if (before != null && !before.isTerminal()) {
        events.normal(m, "Cancelled", "deleted in " + before + "; " + (before == MigrationPhase.AtomicCutOver
            ? "the cut-over completed first" : "rolled back, the source kept the vShard"), now);
      }
      return DeleteControl.defaultDelete();
    }
    m.setStatus(outcome.status());
    context.getClient().resource(m).patchStatus();
    return DeleteControl.noFinalizerRemoval().rescheduleAfter(outcome.requeueAfter().toMillis());
  }

  private UpdateControl<VShardMigration> collectGarbage(VShardMigration m, Context<VShardMigration> context,
                                                        Instant now) {
    Optional<Duration> left = ttl.timeLeft(m, now);
    if (left.isEmpty()) {
      return UpdateControl.noUpdate();
    }
    if (left.get().isNegative() || left.get().isZero()) {
      LOG.info("{}/{}: ttlSecondsAfterFinished passed, deleting", m.getMetadata().getNamespace(),
          m.getMetadata().getName());
      context.getClient().resource(m).delete();
      return UpdateControl.noUpdate();
    }
    return UpdateControl.<VShardMigration>noUpdate().rescheduleAfter(left.get().toMillis());
  }
}
