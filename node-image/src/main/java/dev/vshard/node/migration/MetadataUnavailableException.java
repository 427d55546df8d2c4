package dev.vshard.node.migration;

import dev.vshard.node.routing.MetadataCommand;

/** A metadata command could not be committed (no metadata leader, timeout); the call may be repeated. */
public final class MetadataUnavailableException extends RuntimeException {
  public MetadataUnavailableException(MetadataCommand command, Throwable cause) {
    super("the metadata group did not commit " + command.getClass().getSimpleName() + ": "
        + (cause == null ? "no reason given" : cause.getMessage()), cause);
  }
}
