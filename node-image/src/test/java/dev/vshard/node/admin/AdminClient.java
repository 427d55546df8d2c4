package dev.vshard.node.admin;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Test client of the admin API: every call returns status and parsed JSON body. */
public final class AdminClient {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The body of {@code PUT learners/{node}}. */
  public static String learnerBody(String migrationId, String source) {
    return "{\"migrationId\":\"" + migrationId + "\",\"source\":\"" + source + "\"}";
  }

  /** The body of {@code POST cutover}. */
  public static String cutoverBody(String migrationId, String source, String target, long budgetMicros,
                                   boolean transferLeadership) {
    return "{\"migrationId\":\"" + migrationId + "\",\"source\":\"" + source + "\",\"target\":\"" + target
        + "\",\"writePauseBudgetMicros\":" + budgetMicros + ",\"transferLeadership\":" + transferLeadership + "}";
  }

  /** One admin answer. */
  public record Reply(int status, JsonNode body) {
    public String code() {
      return body.path("code").asText(null);
    }

    @Override
    public String toString() {
      return status + " " + body;
    }
  }

  private final HttpClient http;
  private final String authorization;

  public AdminClient(HttpClient http, String authorization) {
    this.http = http;
    this.authorization = authorization;
  }

  public Reply get(URI node, String path) {
    return send(node, path, "GET", null, authorization);
  }

  public Reply put(URI node, String path, String body) {
    return send(node, path, "PUT", body, authorization);
  }

  /**
   * {@code PUT learners/{node}} until the join is done: a {@code 202 Joining} answer (the listener is still being
   * staged) is repeated; returns the first other answer.
   */
  public Reply addLearner(URI node, String path, String body) {
    return await("learner " + path + " joined").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(50))
        .until(() -> put(node, path, body), reply -> reply.status() != 202);
  }

  /** {@code GET /admin/v1/vshards/{v}} through {@code node}; anything but 200 throws (an await may ignore it). */
  public JsonNode vshardView(URI node, int v) {
    Reply reply = get(node, "/admin/v1/vshards/" + v);
    if (reply.status() != 200) {
      throw new IllegalStateException("view of vShard " + v + " through " + node + ": " + reply);
    }
    return reply.body();
  }

  public Reply post(URI node, String path, String body) {
    return send(node, path, "POST", body, authorization);
  }

  public Reply delete(URI node, String path) {
    return send(node, path, "DELETE", null, authorization);
  }

  public Reply send(URI node, String path, String method, String body, String auth) {
    HttpRequest.Builder request = HttpRequest.newBuilder(node.resolve(path)).timeout(Duration.ofSeconds(90))
        .header("Content-Type", "application/json")
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (auth != null) {
      request.header("Authorization", auth);
    }
    try {
      HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      JsonNode json = response.body().isEmpty() ? JSON.nullNode() : JSON.readTree(response.body());
      return new Reply(response.statusCode(), json);
    } catch (IOException e) {
      throw new UncheckedIOException(method + " " + path + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
