package dev.vshard.node.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vshard.node.raft.MetadataFollowers;
import dev.vshard.node.routing.MetadataService;
import dev.vshard.node.routing.NodeAddress;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code POST /admin/v1/nodes}: a node that is not an initial member (or an initial member back on an empty data
 * dir in a running cluster, see {@code ClusterEntry}) registers itself in the node directory and, unless
 * it is one of the metadata group's voters, becomes a listener of that group, so it follows the routing table
 * (a voter registers only when it came back without its replica, and is replaced). Idempotent.
 * {@code GET /admin/v1/metadata}: that group's voters, listeners and leader, as this node's replica knows them.
 */
public final class NodeRegistrationRoutes implements AdminRoutes {
  private static final Pattern NODE_ID = Pattern.compile("[a-z0-9]([-a-z0-9.]*[a-z0-9])?");

  private final MetadataFollowers followers;
  private final MetadataService metadata;
  private final ObjectMapper json;

  public NodeRegistrationRoutes(MetadataFollowers followers, MetadataService metadata, ObjectMapper json) {
    this.followers = followers;
    this.metadata = metadata;
    this.json = json;
  }

  @Override
  public void register(Javalin app) {
    app.post("/admin/v1/nodes", this::registerNode);
    app.get("/admin/v1/metadata", ctx -> ctx.json(followers.members().orElseThrow(() ->
        new ApiException(503, "NotReady", "this node hosts no replica of the metadata group", null))));
  }

  private void registerNode(Context ctx) throws Exception {
    JsonNode body = json.readTree(ctx.body());
    if (body == null || !body.isObject()) {
      throw ApiException.badRequest("expected a JSON object {node, host, httpPort, adminPort, raftPort}", null);
    }
    String node = text(body, "node");
    if (!NODE_ID.matcher(node).matches()) {
      throw ApiException.badRequest("node '" + node + "' is not a DNS label (lower-case letters, digits, '-', '.')", "node");
    }
    NodeAddress address = new NodeAddress(text(body, "host"), port(body, "httpPort"), port(body, "adminPort"), port(body, "raftPort"));
    if (!metadata.current().initialized()) {
      // the metadata group may not exist yet: a Raft call now would only race the bootstrap (the joiner retries)
      throw new ApiException(503, "NotReady", "the cluster is still bootstrapping; register again shortly", null);
    }
    ctx.future(() -> followers.addFollower(node, address).thenRun(() -> {
      Map<String, Object> reply = new LinkedHashMap<>();
      reply.put("node", node);
      reply.put("address", address);
      reply.put("registered", true);
      ctx.json(reply);
    }));
  }

  private static String text(JsonNode body, String field) {
    JsonNode value = body.get(field);
    if (value == null || !value.isTextual() || value.asText().isBlank()) {
      throw ApiException.badRequest("field '" + field + "' is required (a string)", field);
    }
    return value.asText();
  }

  private static int port(JsonNode body, String field) {
    JsonNode value = body.get(field);
    if (value == null || !value.canConvertToInt() || value.asInt() < 1 || value.asInt() > 65535) {
      throw ApiException.badRequest("field '" + field + "' must be a port number from 1 to 65535, got " + value, field);
    }
    return value.asInt();
  }
}
