package dev.vshard.node.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vshard.node.InitialMember;
import dev.vshard.node.NodeConfig;
import dev.vshard.node.raft.Retrying;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * A node joins the running cluster: it asks the initial members, in turn, to register it
 * ({@code POST /admin/v1/nodes}) until one succeeds. Run on every start of a node that is not an initial
 * member, and by an initial member back on an empty data dir in a running cluster (idempotent).
 */
public final class ClusterJoin {
  private final NodeConfig config;
  private final HttpClient http;
  private final AdminToken token;
  private final ObjectMapper json;
  private final AtomicInteger next = new AtomicInteger();

  public ClusterJoin(NodeConfig config, HttpClient http, AdminToken token, ObjectMapper json) {
    this.config = config;
    this.http = http;
    this.token = token;
    this.json = json;
  }

  public CompletableFuture<Void> run(BooleanSupplier stopped, java.util.concurrent.ScheduledExecutorService scheduler) {
    return Retrying.untilSuccess("join the cluster", this::attempt, Duration.ofMillis(500), stopped, scheduler);
  }

  private CompletableFuture<Void> attempt() {
    List<InitialMember> members = config.initialMembers();
    InitialMember member = members.get(Math.floorMod(next.getAndIncrement(), members.size()));
    byte[] body;
    try {
      body = json.writeValueAsBytes(Map.of("node", config.nodeId(), "host", config.advertiseHost(),
          "httpPort", config.httpPort(), "adminPort", config.adminPort(), "raftPort", config.raftPort()));
    } catch (Exception e) {
      return CompletableFuture.failedFuture(e);
    }
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + member.host() + ":" + config.adminPort() + "/admin/v1/nodes"))
        .timeout(Duration.ofSeconds(60))
        .header("Authorization", token.authorizationHeader())
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
    return http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).thenAccept(response -> {
      if (response.statusCode() != 200) {
        throw new IllegalStateException(member.id() + " answered " + response.statusCode() + ": " + response.body());
      }
    });
  }
}
