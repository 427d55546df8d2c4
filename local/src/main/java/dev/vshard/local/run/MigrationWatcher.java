package dev.vshard.local.run;

import dev.vshard.local.progress.ProgressView;
import dev.vshard.operator.model.VShardMigration;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Creates a VShardMigration and follows it through an informer until it is Completed or Failed,
 * feeding a {@link ProgressView} on every change and on a clock tick (for the elapsed time).
 */
public final class MigrationWatcher {

  private static final Duration TICK = Duration.ofMillis(250);

  private final KubernetesClient client;
  private final ProgressView view;

  public MigrationWatcher(KubernetesClient client, ProgressView view) {
    this.client = client;
    this.view = view;
  }

  /**
   * @return the resource as it ended
   * @throws TimeoutException when it is not finished within {@code timeout}; the message names the last phase
   */
  public VShardMigration applyAndAwait(VShardMigration migration, Duration timeout) throws TimeoutException {
    var resources = client.resources(VShardMigration.class).inNamespace(LocalSettings.NAMESPACE);
    VShardMigration created = resources.resource(migration).create();
    Instant applied = Instant.now();
    AtomicReference<VShardMigration> latest = new AtomicReference<>(created);
    CompletableFuture<VShardMigration> finished = new CompletableFuture<>();
    ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "progress-ticker");
      thread.setDaemon(true);
      return thread;
    });
    ticker.scheduleAtFixedRate(() -> view.show(latest.get(), Duration.between(applied, Instant.now())),
        0, TICK.toMillis(), TimeUnit.MILLISECONDS);
    try (SharedIndexInformer<VShardMigration> informer = resources.withName(created.getMetadata().getName())
        .inform(new Follower(latest, finished))) {
      return finished.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      VShardMigration last = latest.get();
      throw new TimeoutException("vsm/" + created.getMetadata().getName() + " did not finish within " + timeout
          + "; it is in phase " + (last.getStatus() == null ? "(none yet)" : last.getStatus().getPhase()));
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while following the migration", e);
    } finally {
      ticker.shutdownNow();
      view.show(latest.get(), Duration.between(applied, Instant.now()));
      view.finish();
    }
  }

  /** Keeps the latest version and completes when the phase is terminal. */
  private final class Follower implements ResourceEventHandler<VShardMigration> {
    private final AtomicReference<VShardMigration> latest;
    private final CompletableFuture<VShardMigration> finished;

    Follower(AtomicReference<VShardMigration> latest, CompletableFuture<VShardMigration> finished) {
      this.latest = latest;
      this.finished = finished;
    }

    @Override
    public void onAdd(VShardMigration migration) {
      seen(migration);
    }

    @Override
    public void onUpdate(VShardMigration before, VShardMigration after) {
      seen(after);
    }

    @Override
    public void onDelete(VShardMigration migration, boolean finalStateUnknown) {
      finished.completeExceptionally(new IllegalStateException("vsm/" + migration.getMetadata().getName()
          + " was deleted before it finished"));
    }

    private void seen(VShardMigration migration) {
      latest.set(migration);
      if (migration.getStatus() != null && migration.getStatus().getPhase() != null && migration.getStatus().getPhase().isTerminal()) {
        finished.complete(migration);
      }
    }
  }
}
