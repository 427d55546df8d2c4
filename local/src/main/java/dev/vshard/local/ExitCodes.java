package dev.vshard.local;

/** What {@code ./vshard} exits with; scripts and the end-to-end tests rely on these. */
public final class ExitCodes {

  /** The migration reached Completed (or a command such as validate succeeded). */
  public static final int OK = 0;
  /** The migration ended Failed or did not finish within --timeout. */
  public static final int MIGRATION_FAILED = 1;
  /** Bad input: a manifest that does not parse or breaks the CRD's rules, or a bad option. */
  public static final int INVALID_INPUT = 2;
  /** The environment: a port in use, a node that would not start, an old Java. */
  public static final int ENVIRONMENT = 3;

  private ExitCodes() {}
}
