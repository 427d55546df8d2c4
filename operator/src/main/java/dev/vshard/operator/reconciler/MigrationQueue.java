package dev.vshard.operator.reconciler;

import dev.vshard.operator.migration.Admission;
import dev.vshard.operator.migration.MigrationPhase;
import dev.vshard.operator.migration.SlotGate;
import dev.vshard.operator.model.VShardMigration;

import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Admission of Pending migrations: at most one migration per vShard, at most {@code maxPerCluster}
 * active per node cluster, in creation order. Reconciles of different migrations run in parallel and
 * the cache shows a started migration only after its status was written, so slots granted but not
 * yet visible are remembered here (a restarted operator reads them back from status).
 */
public class MigrationQueue {

  private record Claim(String namespace, String cluster, int vshard) { }

  private final int maxPerCluster;
  private final Map<String, Claim> claims = new HashMap<>();

  public MigrationQueue(int maxPerCluster) {
    this.maxPerCluster = maxPerCluster;
  }

  /** A gate for {@code candidate}, judged against every migration the operator's cache holds. */
  public SlotGate gateFor(VShardMigration candidate, Collection<VShardMigration> all) {
    return new SlotGate() {
      @Override
      public Admission tryAdmit() {
        return admit(candidate, all);
      }

      @Override
      public void release() {
        MigrationQueue.this.release(uid(candidate));
      }
    };
  }

  synchronized Admission admit(VShardMigration candidate, Collection<VShardMigration> all) {
    forgetClaimsVisibleInCache(all);
    String ns = candidate.getMetadata().getNamespace();
    String cluster = candidate.getSpec().getCluster();
    int vshard = candidate.getSpec().getVshard();
    if (claims.containsKey(uid(candidate))) {
      return Admission.grant();
    }
    List<VShardMigration> sameCluster = all.stream()
        .filter(m -> ns.equals(m.getMetadata().getNamespace()) && cluster.equals(m.getSpec().getCluster()))
        .filter(m -> !uid(m).equals(uid(candidate)))
        .toList();
    for (VShardMigration other : sameCluster) {
      if (Objects.equals(other.getSpec().getVshard(), vshard) && holdsSlot(other)) {
        return Admission.wait("VShardBusy", "waiting for migration " + other.getMetadata().getName()
            + " of the same vShard " + vshard + " to finish");
      }
    }
    List<VShardMigration> earlierWaiting = sameCluster.stream()
        .filter(m -> phase(m) == MigrationPhase.Pending && !claims.containsKey(uid(m)))
        .filter(m -> CREATION_ORDER.compare(m, candidate) < 0)
        .toList();
    for (VShardMigration earlier : earlierWaiting) {
      if (Objects.equals(earlier.getSpec().getVshard(), vshard)) {
        return Admission.wait("Queued", "waiting behind " + earlier.getMetadata().getName()
            + ", created earlier for the same vShard " + vshard);
      }
    }
    long active = sameCluster.stream().filter(this::holdsSlot).count();
    long free = maxPerCluster - active;
    long earlierEligible = earlierWaiting.stream().filter(m -> sameCluster.stream()
        .noneMatch(o -> holdsSlot(o) && Objects.equals(o.getSpec().getVshard(), m.getSpec().getVshard()))).count();
    if (earlierEligible >= free) {
      return Admission.wait("Queued", "cluster " + cluster + " has " + active + " of " + maxPerCluster
          + " migrations active" + (earlierEligible == 0 ? "" : " and " + earlierEligible
          + " created earlier waiting") + " (VSHARD_MAX_CONCURRENT_PER_CLUSTER)");
    }
    claims.put(uid(candidate), new Claim(ns, cluster, vshard));
    return Admission.grant();
  }

  synchronized void release(String uid) {
    claims.remove(uid);
  }

  private boolean holdsSlot(VShardMigration m) {
    return phase(m).isActive() || claims.containsKey(uid(m));
  }

  /** A claim is no longer needed once the cache shows the migration past Pending, or gone. */
  private void forgetClaimsVisibleInCache(Collection<VShardMigration> all) {
    Map<String, VShardMigration> byUid = new HashMap<>();
    all.forEach(m -> byUid.put(uid(m), m));
    claims.keySet().removeIf(uid -> !byUid.containsKey(uid) || phase(byUid.get(uid)) != MigrationPhase.Pending);
  }

  static final Comparator<VShardMigration> CREATION_ORDER = Comparator
      .comparing((VShardMigration m) -> Objects.toString(m.getMetadata().getCreationTimestamp(), ""))
      .thenComparing(m -> m.getMetadata().getName());

  private static MigrationPhase phase(VShardMigration m) {
    return m.getStatus() == null || m.getStatus().getPhase() == null ? MigrationPhase.Pending : m.getStatus().getPhase();
  }

  private static String uid(VShardMigration m) {
    return m.getMetadata().getUid();
  }
}
