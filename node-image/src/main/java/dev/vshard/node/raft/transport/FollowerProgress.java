package dev.vshard.node.raft.transport;

import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.ratis.protocol.RaftGroupMemberId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.leader.FollowerInfo;

/**
 * Each leading division's followers as its appenders see them now: a {@link NotifyingLogAppender} tracks its
 * follower from its creation until it ends (a server set to push snapshots runs Ratis's own appender and
 * reports none). Ratis 3.3.0 has the leader's match index per
 * follower only as a metric, and registers that gauge once per leader and peer name: a peer removed and added
 * again under the same leader (a vShard migrated away and back) kept the gauge of the removed follower, whose
 * match index no longer moves, so the second cut-over waited for its target until the budget ran out. Here a
 * new appender replaces the follower it tracks.
 */
public final class FollowerProgress {
  private record Key(RaftGroupMemberId leader, RaftPeerId follower) {
  }

  private final Map<Key, FollowerInfo> followers = new ConcurrentHashMap<>();

  void track(RaftGroupMemberId leader, FollowerInfo follower) {
    followers.put(new Key(leader, follower.getId()), follower);
  }

  /** An appender that ended: only its own follower is forgotten (a newer appender may track the peer already). */
  void untrack(RaftGroupMemberId leader, FollowerInfo follower) {
    followers.remove(new Key(leader, follower.getId()), follower);
  }

  /** The match index the leading {@code leader} division holds for {@code peer}; empty when it has no appender for it. */
  public static OptionalLong matchIndex(RaftServer.Division leader, String peer) {
    if (!(leader.getRaftServer().getFactory() instanceof NotifyingNettyFactory factory)) {
      throw new IllegalStateException("the Raft server does not run vshard's transport: " + leader.getRaftServer().getFactory());
    }
    FollowerInfo follower = factory.progress().followers.get(new Key(leader.getMemberId(), RaftPeerId.valueOf(peer)));
    return follower == null ? OptionalLong.empty() : OptionalLong.of(follower.getMatchIndex());
  }
}
