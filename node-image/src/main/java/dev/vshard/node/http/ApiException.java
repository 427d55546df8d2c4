package dev.vshard.node.http;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An API error with its HTTP status and contract code; rendered as {@code {code,message,field}} by
 * {@link ErrorMapper}. {@code extra} carries additional fields some codes promise (e.g. an estimate).
 */
public class ApiException extends RuntimeException {
  private final int status;
  private final String code;
  private final String field;
  private final Map<String, Object> extra;

  public ApiException(int status, String code, String message, String field) {
    this(status, code, message, field, Map.of());
  }

  public ApiException(int status, String code, String message, String field, Map<String, Object> extra) {
    super(message);
    this.status = status;
    this.code = code;
    this.field = field;
    this.extra = new LinkedHashMap<>(extra);
  }

  public static ApiException badRequest(String message, String field) {
    return new ApiException(400, "InvalidRequest", message, field);
  }

  public static ApiException notFound(String code, String message, String field) {
    return new ApiException(404, code, message, field);
  }

  public static ApiException conflict(String code, String message, String field) {
    return new ApiException(409, code, message, field);
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }

  public String field() {
    return field;
  }

  public Map<String, Object> body() {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("code", code);
    body.put("message", getMessage());
    if (field != null) {
      body.put("field", field);
    }
    body.putAll(extra);
    return body;
  }
}
