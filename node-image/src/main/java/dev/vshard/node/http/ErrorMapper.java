package dev.vshard.node.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.vshard.node.routing.MetadataRejectedException;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one place that turns exceptions into the contract's JSON errors. Never writes a stack trace. */
public final class ErrorMapper {
  private static final Logger LOG = LoggerFactory.getLogger(ErrorMapper.class);

  private ErrorMapper() {
  }

  public static void install(Javalin app) {
    app.exception(Exception.class, (e, ctx) -> write(ctx, toApiException(e)));
    // Javalin answers unmatched paths and methods itself, in plain text: make those JSON too
    app.error(404, ctx -> jsonUnlessAlready(ctx, "NotFound", "no endpoint " + ctx.method() + " " + ctx.path()));
    app.error(405, ctx -> jsonUnlessAlready(ctx, "MethodNotAllowed", "method " + ctx.method() + " not allowed on " + ctx.path()));
  }

  private static void jsonUnlessAlready(Context ctx, String code, String message) {
    String type = ctx.res().getContentType();
    if (type == null || !type.startsWith("application/json")) {
      ctx.json(Map.of("code", code, "message", message));
    }
  }

  public static void write(Context ctx, ApiException e) {
    ctx.status(e.status()).json(e.body());
  }

  /** Unwraps future wrappers and maps known failures to their contract codes. */
  public static ApiException toApiException(Throwable thrown) {
    Throwable e = unwrap(thrown);
    if (e instanceof ApiException api) {
      return api;
    }
    if (e instanceof MetadataRejectedException rejected) {
      return new ApiException(statusOf(rejected.code()), rejected.code(), rejected.getMessage(), rejected.field());
    }
    if (e instanceof JsonProcessingException json) {
      return ApiException.badRequest("malformed JSON: " + json.getOriginalMessage(), null);
    }
    if (e instanceof HttpResponseException http) {
      return new ApiException(http.getStatus(), codeOf(http.getStatus()), http.getMessage(), null);
    }
    LOG.warn("request failed: {}", e.toString());
    return new ApiException(500, "Internal", String.valueOf(e.getMessage()), null, Map.of("exception", e.getClass().getSimpleName()));
  }

  public static Throwable unwrap(Throwable e) {
    Throwable current = e;
    while ((current instanceof CompletionException || current instanceof ExecutionException) && current.getCause() != null) {
      current = current.getCause();
    }
    return current;
  }

  private static int statusOf(String code) {
    return switch (code) {
      case "UnknownVShard", "NoHold", "UnknownNode" -> 404;
      case "NotBootstrapped" -> 503;
      default -> 409;
    };
  }

  private static String codeOf(int status) {
    return switch (status) {
      case 400 -> "InvalidRequest";
      case 401 -> "Unauthorized";
      case 404 -> "NotFound";
      case 405 -> "MethodNotAllowed";
      case 503 -> "Unavailable";
      default -> "HttpError";
    };
  }
}
