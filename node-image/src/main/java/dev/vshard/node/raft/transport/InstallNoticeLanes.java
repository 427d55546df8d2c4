package dev.vshard.node.raft.transport;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.ratis.protocol.RaftPeerId;

/**
 * One snapshot notice at a time from this server to each follower, whatever the group. Netty's connection to
 * a peer, shared by all the groups on it, keys the replies it awaits by call id, and Ratis builds every notice,
 * and its reply, with call id 0: two groups notifying the same follower at once collided, and the second
 * appender died ("previous is expected to be null") and never sent to that follower again. A notice is answered
 * at once (the follower downloads in the background), so waiting for the lane costs little.
 */
final class InstallNoticeLanes {
  private final ConcurrentMap<RaftPeerId, ReentrantLock> lanes = new ConcurrentHashMap<>();

  /** A transport call that may fail with an IOException. */
  interface Call<T> {
    T run() throws IOException;
  }

  <T> T send(RaftPeerId follower, Call<T> notice) throws IOException {
    ReentrantLock lane = lanes.computeIfAbsent(follower, id -> new ReentrantLock());
    try {
      lane.lockInterruptibly();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted waiting to notify " + follower);
    }
    try {
      return notice.run();
    } finally {
      lane.unlock();
    }
  }
}
