package dev.vshard.node.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Collection;
import java.util.List;
import org.apache.ratis.proto.RaftProtos.RaftPeerRole;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftConfiguration;
import org.junit.jupiter.api.Test;

class MembershipChangeTest {

  /** A fixed configuration (what a leader's division reports), standing in for Ratis's own. */
  record FakeConfiguration(List<RaftPeer> voters, List<RaftPeer> listeners) implements RaftConfiguration {
    @Override
    public RaftPeer getPeer(RaftPeerId id, RaftPeerRole... roles) {
      return null;
    }

    @Override
    public Collection<RaftPeer> getAllPeers(RaftPeerRole role) {
      return getCurrentPeers(role);
    }

    @Override
    public Collection<RaftPeer> getCurrentPeers(RaftPeerRole role) {
      return role == RaftPeerRole.LISTENER ? listeners : voters;
    }

    @Override
    public Collection<RaftPeer> getPreviousPeers(RaftPeerRole role) {
      return List.of();
    }

    @Override
    public long getLogEntryIndex() {
      return 7;
    }
  }

  static RaftPeer peer(String id) {
    return RaftPeer.newBuilder().setId(id).setAddress("127.0.0.1:1").build();
  }

  @Test
  void addListenerKeepsTheVotersAndExpectsTheCurrentConfiguration() {
    FakeConfiguration conf = new FakeConfiguration(List.of(peer("a"), peer("b"), peer("c")), List.of());
    MembershipChange change = MembershipChange.addListener(conf, peer("d"));
    assertThat(change.currentVoters()).isEqualTo(conf.voters());
    assertThat(change.currentListeners()).isEmpty();
    assertThat(change.newVoterIds()).containsExactly("a", "b", "c");
    assertThat(change.newListenerIds()).containsExactly("d");
  }

  @Test
  void promoteMakesTheTargetAVoterAndRemovesTheSourceInOneChange() {
    FakeConfiguration conf = new FakeConfiguration(List.of(peer("a"), peer("b"), peer("c")), List.of(peer("e")));
    MembershipChange change = MembershipChange.promote(conf, MembershipChangeTest::peer, "d", "a");
    assertThat(change.currentVoters()).isEqualTo(conf.voters());
    assertThat(change.currentListeners()).isEqualTo(conf.listeners());
    assertThat(change.newVoterIds()).containsExactly("b", "c", "d");
    assertThat(change.newListenerIds()).containsExactly("e");
    assertThat(change.toString()).isEqualTo("voters [a, b, c] listeners [e] -> voters [b, c, d] listeners [e]");
  }

  /** The joint configuration of such a change would name the target twice, and Ratis cannot lead it. */
  @Test
  void promoteRefusesATargetThatIsStillAListener() {
    FakeConfiguration conf = new FakeConfiguration(List.of(peer("a"), peer("b"), peer("c")), List.of(peer("d")));
    assertThatThrownBy(() -> MembershipChange.promote(conf, MembershipChangeTest::peer, "d", "a"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("node 'd' is a listener");
    assertThatThrownBy(() -> MembershipChange.promote(conf, MembershipChangeTest::peer, "b", "a"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("node 'b' is a voter already");
  }

  @Test
  void promotedOnceTheTargetVotesAndTheSourceDoesNot() {
    assertThat(MembershipChange.promoted(new FakeConfiguration(List.of(peer("b"), peer("c"), peer("d")), List.of()),
        "d", "a")).isTrue();
    assertThat(MembershipChange.promoted(new FakeConfiguration(List.of(peer("a"), peer("b"), peer("c")), List.of()),
        "d", "a")).as("between the two changes").isFalse();
    assertThat(MembershipChange.promoted(
        new FakeConfiguration(List.of(peer("a"), peer("b"), peer("c"), peer("d")), List.of()), "d", "a"))
        .as("the source still votes").isFalse();
  }

  @Test
  void thePromotionHasBegunOnceTheTargetIsNoLongerAListener() {
    List<RaftPeer> voters = List.of(peer("a"), peer("b"), peer("c"));
    assertThat(MembershipChange.promotionBegun(new FakeConfiguration(voters, List.of(peer("d"))), "d")).isFalse();
    assertThat(MembershipChange.promotionBegun(new FakeConfiguration(voters, List.of()), "d")).isTrue();
    assertThat(MembershipChange.promotionBegun(
        new FakeConfiguration(List.of(peer("b"), peer("c"), peer("d")), List.of()), "d")).isTrue();
  }

  @Test
  void removeListenerLeavesTheVotersAlone() {
    FakeConfiguration conf = new FakeConfiguration(List.of(peer("a"), peer("b")), List.of(peer("d"), peer("e")));
    MembershipChange change = MembershipChange.removeListener(conf, "d");
    assertThat(change.newVoterIds()).containsExactly("a", "b");
    assertThat(change.newListenerIds()).containsExactly("e");
  }
}
