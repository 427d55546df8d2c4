package dev.vshard.operator.node;

/** No node of the cluster could be reached (or it answered 5xx): worth trying again later. */
public class NodeUnavailableException extends RuntimeException {

  public NodeUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
