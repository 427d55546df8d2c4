package dev.vshard.local;

/** A failure the CLI explains in its message and maps to an exit code. */
final class LocalModeException extends RuntimeException {

  private final int exitCode;

  LocalModeException(int exitCode, String message, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
  }

  int exitCode() {
    return exitCode;
  }
}
