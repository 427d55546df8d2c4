package dev.vshard.local;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ./vshard}: local mode. Every command has {@code --help}. */
@Command(name = "vshard", mixinStandardHelpOptions = true, version = "vshard 0.1.0",
    description = {"Move vShards of a Raft-replicated key-value store between Kubernetes node pods.",
        "Local mode runs an embedded Kubernetes API, node processes registered as Pods and the operator on this machine."},
    subcommands = {DemoCommand.class, ValidateCommand.class, CommandLine.HelpCommand.class},
    footer = {"", "Exit codes: 0 ok, 1 migration failed, 2 bad input (manifest or option), 3 environment (port in use, node start, Java)."})
public final class VshardCli implements Runnable {

  @CommandLine.Spec
  private CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    if (Runtime.version().feature() < 17) {
      System.err.println("error: vshard needs Java 17 or newer; this is Java " + Runtime.version()
          + ". Install a JDK 17+ and put it first on the PATH (or set JAVA_HOME).");
      System.exit(ExitCodes.ENVIRONMENT);
    }
    LogSettings.apply(args);
    CommandLine commandLine = new CommandLine(new VshardCli());
    commandLine.setExecutionExceptionHandler(new ErrorHandler());
    System.exit(commandLine.execute(args));
  }

  @Override
  public void run() {
    // "./vshard" alone: say what there is to do
    spec.commandLine().usage(System.out);
  }
}
