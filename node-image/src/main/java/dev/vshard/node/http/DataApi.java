package dev.vshard.node.http;

import dev.vshard.node.kv.DataReply;
import dev.vshard.node.kv.DataRequest;
import dev.vshard.node.kv.KvCommand;
import dev.vshard.node.kv.KvService;
import dev.vshard.node.routing.MetadataService;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/** Routes of the data port: key-value API, routing table, health, readiness and Prometheus metrics. */
public final class DataApi {
  private final KvService kv;
  private final MetadataService metadata;
  private final Supplier<Optional<String>> notReadyReason;
  private final PrometheusMeterRegistry metrics;

  public DataApi(KvService kv, MetadataService metadata, Supplier<Optional<String>> notReadyReason,
      PrometheusMeterRegistry metrics) {
    this.kv = kv;
    this.metadata = metadata;
    this.notReadyReason = notReadyReason;
    this.metrics = metrics;
  }

  public void register(Javalin app) {
    app.put("/v1/kv/{key}", ctx -> serve(ctx, KvCommand.Op.PUT));
    app.get("/v1/kv/{key}", ctx -> serve(ctx, KvCommand.Op.GET));
    app.delete("/v1/kv/{key}", ctx -> serve(ctx, KvCommand.Op.DELETE));
    app.get("/v1/routing", ctx -> ctx.json(RoutingJson.of(metadata.current())));
    app.get("/healthz", ctx -> ctx.json(Map.of("status", "UP")));
    app.get("/readyz", ctx -> {
      Optional<String> reason = notReadyReason.get();
      ctx.status(reason.isEmpty() ? 200 : 503).json(reason.isEmpty() ? Map.of("status", "READY")
          : Map.of("status", "NOT_READY", "reason", reason.get()));
    });
    app.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape()));
  }

  private void serve(Context ctx, KvCommand.Op op) {
    String hopsHeader = ctx.header(DataRequest.HOPS_HEADER);
    int hops = hopsHeader == null ? 0 : parseHops(hopsHeader);
    boolean viaGhost = ctx.header(DataRequest.FORWARDED_BY_HEADER) != null;
    byte[] value = op == KvCommand.Op.PUT ? ctx.bodyAsBytes() : null;
    DataRequest request = new DataRequest(op, ctx.pathParam("key"), value, hops, viaGhost);
    MeterRegistry registry = metrics;
    ctx.future(() -> kv.handle(request).thenAccept(reply -> {
      registry.counter("vshard_kv_requests", "op", op.name(), "status", String.valueOf(reply.status())).increment();
      write(ctx, reply);
    }));
  }

  private static int parseHops(String header) {
    try {
      return Math.max(0, Integer.parseInt(header.trim()));
    } catch (NumberFormatException e) {
      throw ApiException.badRequest("header " + DataRequest.HOPS_HEADER + " must be a number, got '" + header + "'", DataRequest.HOPS_HEADER);
    }
  }

  private static void write(Context ctx, DataReply reply) {
    ctx.status(reply.status()).contentType(reply.contentType());
    reply.headers().forEach(ctx::header);
    ctx.result(reply.body());
  }
}
