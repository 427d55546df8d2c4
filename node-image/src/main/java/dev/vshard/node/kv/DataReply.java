package dev.vshard.node.kv;

import java.util.Map;

/** A data API answer, either produced here or relayed from the node a request was forwarded to. */
public record DataReply(int status, String contentType, byte[] body, Map<String, String> headers) {
  public DataReply {
    headers = Map.copyOf(headers);
  }
}
