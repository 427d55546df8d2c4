package dev.vshard.testsupport.node;

/** A node port cannot be bound: says which address and port, and what to do about it. */
public final class PortInUseException extends RuntimeException {

  private final String host;
  private final int port;

  PortInUseException(String host, int port, Throwable cause) {
    super("port " + host + ":" + port + " is in use (" + cause.getMessage() + "); stop the program listening on it "
        + "(e.g. `ss -ltnp | grep :" + port + "`) or choose other node ports", cause);
    this.host = host;
    this.port = port;
  }

  public String host() {
    return host;
  }

  public int port() {
    return port;
  }
}
