package dev.vshard.node.routing;

/**
 * A metadata command that the routing table refuses (deterministically, on every replica).
 * {@code code} is a contract error code such as {@code VShardBusy}; HTTP layers map it to 409/404.
 */
public final class MetadataRejectedException extends RuntimeException {
  private final String code;
  private final String field;

  public MetadataRejectedException(String code, String message, String field) {
    super(message);
    this.code = code;
    this.field = field;
  }

  public String code() {
    return code;
  }

  public String field() {
    return field;
  }
}
