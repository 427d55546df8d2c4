package dev.vshard.node.migration;

import dev.vshard.node.raft.MembershipChange;
import dev.vshard.node.raft.transport.FollowerProgress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.apache.ratis.proto.RaftProtos.ServerRpcProto;
import org.apache.ratis.server.DivisionInfo;
import org.apache.ratis.server.RaftConfiguration;
import org.apache.ratis.server.RaftServer;

/** Builds a {@link GroupView} from the local division of a vShard group, which must be its leader. */
public final class LeaderViewReader {
  private LeaderViewReader() {
  }

  public static GroupView read(int vshard, RaftServer.Division division) {
    DivisionInfo info = division.getInfo();
    if (!info.isLeader()) {
      throw new NotLeaderHereException(vshard, info.getLeaderId() == null ? null : info.getLeaderId().toString());
    }
    String self = division.getId().toString();
    RaftConfiguration conf = division.getRaftConf();
    List<String> voters = MembershipChange.ids(MembershipChange.voters(conf));
    List<String> listeners = MembershipChange.ids(MembershipChange.listeners(conf));
    long commit = division.getRaftLog().getLastCommittedIndex();
    long last = division.getRaftLog().getLastEntryTermIndex() == null ? commit
        : division.getRaftLog().getLastEntryTermIndex().getIndex();

    Map<String, Long> lastContact = new HashMap<>();
    for (ServerRpcProto f : info.getRoleInfoProto().getLeaderInfo().getFollowerInfoList()) {
      lastContact.put(f.getId().getId().toStringUtf8(), f.getLastRpcElapsedTimeMs());
    }
    List<PeerReplication> peers = new ArrayList<>();
    for (String voter : voters) {
      peers.add(voter.equals(self)
          ? new PeerReplication(self, "LEADER", last, 0L, 0L)
          : follower(division, voter, "FOLLOWER", commit, lastContact));
    }
    for (String listener : listeners) {
      peers.add(follower(division, listener, "LISTENER", commit, lastContact));
    }
    return new GroupView(vshard, self, info.getCurrentTerm(), commit, division.getRaftLog().getStartIndex(), last,
        voters, listeners, peers);
  }

  private static PeerReplication follower(RaftServer.Division leader, String peer, String role, long commit,
                                          Map<String, Long> lastContact) {
    OptionalLong match = FollowerProgress.matchIndex(leader, peer);
    Long matchIndex = match.isPresent() ? match.getAsLong() : null;
    Long lag = matchIndex == null ? null : Math.max(0, commit - matchIndex);
    return new PeerReplication(peer, role, matchIndex, lag, lastContact.get(peer));
  }
}
