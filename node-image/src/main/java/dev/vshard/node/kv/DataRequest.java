package dev.vshard.node.kv;

/**
 * One data API request as the node sees it. {@code hops} counts how often it was already forwarded
 * (bounded, so a stale view on two nodes cannot bounce a request forever); {@code viaGhost} is set when a
 * ghost stub forwarded it here, so it is not sent through a stub again.
 */
public record DataRequest(KvCommand.Op op, String key, byte[] value, int hops, boolean viaGhost) {
  public static final String HOPS_HEADER = "X-VShard-Hops";
  public static final String FORWARDED_BY_HEADER = "X-VShard-Forwarded-By";
  public static final String EPOCH_HEADER = "X-VShard-Epoch";
  public static final String VSHARD_HEADER = "X-VShard";
  public static final int MAX_HOPS = 4;
  /** The largest value a PUT may carry: the data port's request size limit. */
  public static final int MAX_VALUE_BYTES = 16 * 1024 * 1024;

  public DataRequest forwarded(boolean throughGhost) {
    return new DataRequest(op, key, value, hops + 1, viaGhost || throughGhost);
  }
}
