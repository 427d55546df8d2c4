package dev.vshard.node.migration;

import dev.vshard.node.routing.MetadataCommand;

/** A metadata command could not be committed, or the table not read (no metadata leader, timeout); may be repeated. */
public final class MetadataUnavailableException extends RuntimeException {
  public MetadataUnavailableException(MetadataCommand command, Throwable cause) {
    this("committing " + command.getClass().getSimpleName(), cause);
  }

  public MetadataUnavailableException(String what, Throwable cause) {
    super("the metadata group failed " + what + ": " + (cause == null ? "no reason given" : cause.getMessage()), cause);
  }
}
