package dev.vshard.node.admin;

import dev.vshard.node.ghost.GhostStore;
import dev.vshard.node.ghost.GhostStub;
import dev.vshard.node.http.AdminRoutes;
import dev.vshard.node.http.ApiException;
import dev.vshard.node.kv.ReplicaStats;
import dev.vshard.node.migration.CutOverCoordinator;
import dev.vshard.node.migration.CutOverRequest;
import dev.vshard.node.migration.LeaderViewReader;
import dev.vshard.node.migration.LearnerPhase;
import dev.vshard.node.migration.LearnerResult;
import dev.vshard.node.migration.MigrationRecords;
import dev.vshard.node.migration.OrphanRelease;
import dev.vshard.node.migration.ReplicaRetirement;
import dev.vshard.node.migration.VShardGroups;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntFunction;

/**
 * The migration endpoints of the admin API (contract.md). Bearer auth and error rendering are the admin
 * app's; this class parses, routes to the vShard's leader where needed, and renders the recorded results.
 */
public final class MigrationAdminRoutes implements AdminRoutes {
  private static final String VSHARD = "/admin/v1/vshards/{v}";

  private final LeaderRouting routing;
  private final VShardGroups groups;
  private final MigrationRecords records;
  private final LearnerPhase learners;
  private final CutOverCoordinator cutovers;
  private final OrphanRelease orphans;
  private final GhostStore ghosts;
  private final ReplicaRetirement retirement;
  private final IntFunction<Optional<ReplicaStats>> replicaStats;

  MigrationAdminRoutes(LeaderRouting routing, VShardGroups groups, MigrationRecords records, LearnerPhase learners,
                       CutOverCoordinator cutovers, OrphanRelease orphans, GhostStore ghosts,
                       ReplicaRetirement retirement, IntFunction<Optional<ReplicaStats>> replicaStats) {
    this.routing = routing;
    this.groups = groups;
    this.records = records;
    this.learners = learners;
    this.cutovers = cutovers;
    this.orphans = orphans;
    this.ghosts = ghosts;
    this.retirement = retirement;
    this.replicaStats = replicaStats;
  }

  @Override
  public void register(Javalin app) {
    app.get(VSHARD, this::view);
    app.get(VSHARD + "/replica", this::replica);
    app.put(VSHARD + "/learners/{node}", this::addLearner);
    app.delete(VSHARD + "/learners/{node}", this::removeLearner);
    app.post(VSHARD + "/cutover", this::cutover);
    app.delete(VSHARD + "/migration", this::releaseOrphan);
    app.get("/admin/v1/ghosts", ctx -> ctx.json(ghosts.list().stream().map(GhostStore.StoredGhost::of).toList()));
    app.put("/admin/v1/ghosts/{v}", this::installGhost);
  }

  private void view(Context ctx) throws Exception {
    int v = AdminRequests.vshard(ctx);
    records.route(v);
    routing.atLeader(ctx, v, () -> ctx.json(
        VShardViewJson.view(LeaderViewReader.read(v, groups.leaderDivision(v)), records.route(v), records)));
  }

  private void replica(Context ctx) {
    int v = AdminRequests.vshard(ctx);
    records.route(v);
    ReplicaStats stats = replicaStats.apply(v).orElseThrow(() -> new ApiException(404, "NotHosted",
        "this node has no replica of vShard " + v, "vshard"));
    ctx.json(stats);
  }

  private void addLearner(Context ctx) throws Exception {
    int v = AdminRequests.vshard(ctx);
    String target = AdminRequests.node(ctx);
    AdminRequests.LearnerBody body = AdminRequests.learner(ctx);
    records.route(v);
    routing.atLeader(ctx, v, () -> {
      LearnerResult result = learners.add(v, target, body.source(), body.migrationId());
      ctx.status(result.added() ? 200 : 202).json(VShardViewJson.learnerReply(body.migrationId(), v, result));
    });
  }

  private void removeLearner(Context ctx) throws Exception {
    int v = AdminRequests.vshard(ctx);
    String target = AdminRequests.node(ctx);
    String migrationId = AdminRequests.migrationIdQuery(ctx);
    records.route(v);
    routing.atLeader(ctx, v, () -> {
      LearnerResult result = learners.rollback(v, target, migrationId);
      ctx.json(reply(migrationId, v, "target", target, result.state()));
    });
  }

  private void cutover(Context ctx) throws Exception {
    int v = AdminRequests.vshard(ctx);
    CutOverRequest request = AdminRequests.cutover(ctx);
    records.route(v);
    routing.atLeader(ctx, v, () -> ctx.status(202).json(
        VShardViewJson.cutoverReply(request.migrationId(), cutovers.accept(v, request))));
  }

  private void releaseOrphan(Context ctx) throws Exception {
    int v = AdminRequests.vshard(ctx);
    String migrationId = AdminRequests.migrationIdQuery(ctx);
    records.route(v);
    routing.atLeader(ctx, v, () -> ctx.json(reply(migrationId, v, null, null, orphans.release(v, migrationId))));
  }

  private void installGhost(Context ctx) {
    int v = AdminRequests.vshard(ctx);
    AdminRequests.GhostInstall body = AdminRequests.ghost(ctx);
    records.route(v);
    GhostStub stub = ghosts.install(v, body.newOwner(), body.epoch());
    retirement.retire(v, stub.epoch());
    ctx.json(GhostStore.StoredGhost.of(stub));
  }

  private static Map<String, Object> reply(String migrationId, int v, String key, String value, String state) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("migrationId", migrationId);
    json.put("vshard", v);
    if (key != null) {
      json.put(key, value);
    }
    json.put("state", state);
    return json;
  }
}
