package dev.vshard.local;

import dev.vshard.testsupport.node.NodeStartException;
import dev.vshard.testsupport.node.PortInUseException;
import picocli.CommandLine;

/** Turns what went wrong into one "error: ..." message that says what to do, and the matching exit code. */
final class ErrorHandler implements CommandLine.IExecutionExceptionHandler {

  @Override
  public int handleExecutionException(Exception exception, CommandLine commandLine, CommandLine.ParseResult parseResult) {
    Throwable cause = exception;
    while (cause.getCause() != null && !(cause instanceof PortInUseException) && !(cause instanceof NodeStartException)
        && !(cause instanceof LocalModeException)) {
      cause = cause.getCause();
    }
    System.err.println("error: " + cause.getMessage());
    if (cause instanceof LocalModeException local) {
      return local.exitCode();
    }
    if (cause instanceof PortInUseException || cause instanceof NodeStartException) {
      return ExitCodes.ENVIRONMENT;
    }
    System.err.println("(unexpected " + cause.getClass().getName() + "; rerun with --verbose for the operator's log)");
    exception.printStackTrace(System.err);
    return ExitCodes.ENVIRONMENT;
  }
}
