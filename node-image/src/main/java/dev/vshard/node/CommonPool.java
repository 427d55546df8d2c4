package dev.vshard.node;

/**
 * Gives the JVM's common ForkJoinPool at least {@value #MIN_PARALLELISM} threads.
 *
 * <p>With 2 CPUs (a laptop, or a pod limited to 2 cores) the common pool gets parallelism 1, and then every
 * {@code CompletableFuture.*Async} call without an executor starts a new thread and ends it. Ratis and
 * Javalin make such calls on the write path (Ratis for each appendEntries at a follower), so under load the
 * node spent about 10% of its CPU creating and ending threads (async-profiler, 3 nodes on 2 cores). The
 * property is read once, when the pool class loads, so the entry point calls this first.
 */
final class CommonPool {
  static final String PROPERTY = "java.util.concurrent.ForkJoinPool.common.parallelism";
  static final int MIN_PARALLELISM = 4;

  private CommonPool() {
  }

  /** Leaves an explicit setting alone, and a machine large enough to get a real pool by default. */
  static void configure() {
    if (System.getProperty(PROPERTY) == null && Runtime.getRuntime().availableProcessors() - 1 < MIN_PARALLELISM) {
      System.setProperty(PROPERTY, String.valueOf(MIN_PARALLELISM));
    }
  }
}
