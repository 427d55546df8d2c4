package dev.vshard.operator.node;

import com.fasterxml.jackson.databind.JsonNode;

/** A node answered with an error document {@code {code, message, field?}}. */
public class NodeApiException extends RuntimeException {

  private final int status;
  private final String code;
  private final String field;
  private final transient JsonNode body;

  public NodeApiException(int status, String code, String message, String field) {
    this(status, code, message, field, null);
  }

  public NodeApiException(int status, String code, String message, String field, JsonNode body) {
    super(code + " (" + status + "): " + message);
    this.status = status;
    this.code = code;
    this.field = field;
    this.body = body;
  }

  /** The whole error document (carries e.g. the cut-over estimate), or {@code null}. */
  public JsonNode body() {
    return body;
  }

  public int status() {
    return status;
  }

  /** The node's CamelCase error code, e.g. {@code VShardBusy}. */
  public String code() {
    return code;
  }

  /** The input at fault, or {@code null}. */
  public String field() {
    return field;
  }

  public boolean is(String code) {
    return this.code.equals(code);
  }
}
