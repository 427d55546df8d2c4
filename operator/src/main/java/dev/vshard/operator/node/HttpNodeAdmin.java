package dev.vshard.operator.node;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The node admin API over HTTP (JDK HttpClient, JSON with Jackson). Calls that any node answers go
 * to the ready pods in turn until one answers; the node forwards to the vShard's leader itself.
 */
public class HttpNodeAdmin implements NodeAdmin {

  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

  private final HttpClient http;
  private final ObjectMapper json;
  private final NodeCluster cluster;

  public HttpNodeAdmin(HttpClient http, ObjectMapper json, NodeCluster cluster) {
    this.http = http;
    this.json = json;
    this.cluster = cluster;
  }

  /** A factory sharing one HttpClient between all clusters. */
  public static NodeAdminFactory factory() {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    ObjectMapper json = new ObjectMapper();
    return cluster -> new HttpNodeAdmin(http, json, cluster);
  }

  @Override
  public RoutingTable routing() {
    return read(anyNode("GET", "/v1/routing", null, true), RoutingTable.class);
  }

  @Override
  public VShardView vshard(int vshard) {
    return read(anyNode("GET", "/admin/v1/vshards/" + vshard, null, false), VShardView.class);
  }

  @Override
  public ReplicaView replica(String node, int vshard) {
    NodeEndpoint endpoint = cluster.node(node)
        .orElseThrow(() -> new NodeUnavailableException("node " + node + " has no pod", null));
    return read(send(endpoint, "GET", "/admin/v1/vshards/" + vshard + "/replica", null, false), ReplicaView.class);
  }

  @Override
  public LearnerAdded addLearner(int vshard, String target, String source, String migrationId) {
    Map<String, Object> body = Map.of("migrationId", migrationId, "source", source);
    return read(anyNode("PUT", "/admin/v1/vshards/" + vshard + "/learners/" + target, body, false), LearnerAdded.class);
  }

  @Override
  public void removeLearner(int vshard, String target, String migrationId) {
    anyNode("DELETE", "/admin/v1/vshards/" + vshard + "/learners/" + target + "?migrationId=" + encode(migrationId),
        null, false);
  }

  @Override
  public CutOverAnswer requestCutOver(int vshard, CutOverRequest request) {
    try {
      JsonNode answer = anyNode("POST", "/admin/v1/vshards/" + vshard + "/cutover", request, false);
      return new CutOverAnswer.Accepted(answer.path("state").asText("Running"), longOrNull(answer, "estimateMicros"),
          longOrNull(answer, "budgetMicros"));
    } catch (NodeApiException refused) {
      if (!refused.is("PauseBudgetExceeded")) {
        throw refused;
      }
      return new CutOverAnswer.Refused(longOrNull(refused.body(), "estimateMicros"),
          longOrNull(refused.body(), "budgetMicros"), refused.body().path("message").asText(null));
    }
  }

  @Override
  public String releaseHold(int vshard, String migrationId) {
    return anyNode("DELETE", "/admin/v1/vshards/" + vshard + "/migration?migrationId=" + encode(migrationId), null, false)
        .path("state").asText();
  }

  @Override
  public List<Map<String, Object>> ghosts() {
    return json.convertValue(anyNode("GET", "/admin/v1/ghosts", null, false), new TypeReference<>() { });
  }

  private JsonNode anyNode(String method, String path, Object body, boolean dataPort) {
    List<NodeEndpoint> order = new ArrayList<>(cluster.nodes().values());
    order.sort(Comparator.comparing((NodeEndpoint e) -> !e.ready()));
    NodeUnavailableException last = new NodeUnavailableException("cluster " + cluster.name() + " has no pods", null);
    for (NodeEndpoint endpoint : order) {
      try {
        return send(endpoint, method, path, body, dataPort);
      } catch (NodeUnavailableException e) {
        last = e;
      }
    }
    throw last;
  }

  private JsonNode send(NodeEndpoint node, String method, String path, Object body, boolean dataPort) {
    int port = dataPort ? node.httpPort() : node.adminPort();
    URI uri = URI.create("http://" + node.host() + ":" + port + path);
    try {
      HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT)
          .header("Accept", "application/json")
          .header("Authorization", "Bearer " + cluster.adminToken())
          .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
              : HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body)));
      if (body != null) {
        request.header("Content-Type", "application/json");
      }
      HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      JsonNode parsed = response.body() == null || response.body().isBlank()
          ? json.createObjectNode() : json.readTree(response.body());
      int status = response.statusCode();
      if (status >= 500) {
        throw new NodeUnavailableException(method + " " + uri + " answered " + status + ": " + response.body(), null);
      }
      if (status >= 400) {
        throw new NodeApiException(status, parsed.path("code").asText("Http" + status),
            parsed.path("message").asText(response.body()), parsed.path("field").asText(null), parsed);
      }
      return parsed;
    } catch (IOException e) {
      throw new NodeUnavailableException(method + " " + uri + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new NodeUnavailableException(method + " " + uri + " interrupted", e);
    }
  }

  private <T> T read(JsonNode node, Class<T> type) {
    return json.convertValue(node, type);
  }

  private static Long longOrNull(JsonNode node, String field) {
    return node.hasNonNull(field) ? node.get(field).asLong() : null;
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
