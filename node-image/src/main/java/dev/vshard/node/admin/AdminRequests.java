package dev.vshard.node.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vshard.node.http.ApiException;
import dev.vshard.node.migration.CutOverRequest;
import io.javalin.http.Context;

/**
 * Parses admin requests into typed values. Every failure is a 400 {@code InvalidRequest} naming the field,
 * the value received and what is allowed, before anything is changed.
 */
final class AdminRequests {
  private static final ObjectMapper JSON = new ObjectMapper();

  private AdminRequests() {
  }

  /** Body of {@code PUT learners/{node}}. */
  record LearnerBody(String migrationId, String source) {
  }

  /** Body of the internal {@code PUT /admin/v1/ghosts/{v}}. */
  record GhostInstall(String newOwner, long epoch, String migrationId) {
  }

  static int vshard(Context ctx) {
    return vshard(ctx.pathParam("v"));
  }

  static int vshard(String raw) {
    try {
      int v = Integer.parseInt(raw);
      if (v >= 0) {
        return v;
      }
    } catch (NumberFormatException e) {
      // reported below with the value received
    }
    throw ApiException.badRequest("vshard '" + raw + "' is not a vShard number; allowed: an integer >= 0", "vshard");
  }

  static String node(Context ctx) {
    String raw = ctx.pathParam("node");
    if (raw.isBlank()) {
      throw ApiException.badRequest("node must be a node id (the pod name)", "target");
    }
    return raw;
  }

  static String migrationIdQuery(Context ctx) {
    String raw = ctx.queryParam("migrationId");
    if (raw == null || raw.isBlank()) {
      throw ApiException.badRequest("query parameter migrationId is required: the VShardMigration's UID", "migrationId");
    }
    return raw;
  }

  static LearnerBody learner(Context ctx) {
    return learner(ctx.bodyAsBytes());
  }

  static LearnerBody learner(byte[] raw) {
    JsonNode body = object(raw);
    return new LearnerBody(text(body, "migrationId"), text(body, "source"));
  }

  static CutOverRequest cutover(Context ctx) {
    return cutover(ctx.bodyAsBytes());
  }

  static CutOverRequest cutover(byte[] raw) {
    JsonNode body = object(raw);
    return new CutOverRequest(text(body, "migrationId"), text(body, "source"), text(body, "target"),
        positiveLong(body, "writePauseBudgetMicros"), optionalBoolean(body, "transferLeadership"));
  }

  static GhostInstall ghost(Context ctx) {
    return ghost(ctx.bodyAsBytes());
  }

  static GhostInstall ghost(byte[] raw) {
    JsonNode body = object(raw);
    return new GhostInstall(text(body, "newOwner"), positiveLong(body, "epoch"), text(body, "migrationId"));
  }

  private static JsonNode object(byte[] raw) {
    JsonNode body;
    try {
      body = JSON.readTree(raw);
    } catch (JsonProcessingException e) {
      throw ApiException.badRequest("malformed JSON body: " + e.getOriginalMessage(), null);
    } catch (java.io.IOException e) {
      throw ApiException.badRequest("unreadable body: " + e.getMessage(), null);
    }
    if (body == null || !body.isObject()) {
      throw ApiException.badRequest("the body must be a JSON object", null);
    }
    return body;
  }

  private static String text(JsonNode body, String field) {
    JsonNode value = body.get(field);
    if (value == null || value.isNull()) {
      throw ApiException.badRequest("field '" + field + "' is required: a non-empty string", field);
    }
    if (!value.isTextual() || value.asText().isBlank()) {
      throw ApiException.badRequest("field '" + field + "' is " + value + "; allowed: a non-empty string", field);
    }
    return value.asText();
  }

  private static long positiveLong(JsonNode body, String field) {
    JsonNode value = body.get(field);
    if (value == null || value.isNull()) {
      throw ApiException.badRequest("field '" + field + "' is required: an integer > 0", field);
    }
    if (!value.isIntegralNumber() || !value.canConvertToLong() || value.asLong() <= 0) {
      throw ApiException.badRequest("field '" + field + "' is " + value + "; allowed: an integer > 0", field);
    }
    return value.asLong();
  }

  private static boolean optionalBoolean(JsonNode body, String field) {
    JsonNode value = body.get(field);
    if (value == null || value.isNull()) {
      return false;
    }
    if (!value.isBoolean()) {
      throw ApiException.badRequest("field '" + field + "' is " + value + "; allowed: true or false", field);
    }
    return value.asBoolean();
  }
}
