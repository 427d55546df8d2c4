package dev.vshard.node.raft;

import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The node's one thread that writes its replicas' snapshots, beside the threads that apply entries
 * ({@link FileSnapshotStateMachine#takeSnapshot}). One is enough: the disk is the limit, and two groups'
 * snapshots written at once would each take twice as long. Closed after the Raft server, whose replicas
 * wait for a snapshot being written when they stop.
 */
public final class SnapshotWriter implements Executor, AutoCloseable {
  private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "vshard-snapshot-writer");
    t.setDaemon(true);
    return t;
  });

  @Override
  public void execute(Runnable write) {
    thread.execute(write);
  }

  /** Lets the writes already handed over finish (a replica stopping waits for them), then ends the thread. */
  @Override
  public void close() throws InterruptedException {
    thread.shutdown();
    thread.awaitTermination(1, TimeUnit.MINUTES);
  }
}
