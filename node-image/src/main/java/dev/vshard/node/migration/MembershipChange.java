package dev.vshard.node.migration;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apache.ratis.proto.RaftProtos.RaftPeerRole;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.server.RaftConfiguration;

/**
 * A compare-and-set membership change of one group: the configuration it expects (taken from the leader's
 * division, the exact peers Ratis compares) and the one it asks for. The three changes a migration makes
 * are built here so their shape is reviewed in one place.
 */
public record MembershipChange(List<RaftPeer> currentVoters, List<RaftPeer> currentListeners,
                               List<RaftPeer> newVoters, List<RaftPeer> newListeners) {

  /** Phase 1: the target joins as a non-voting LISTENER. */
  public static MembershipChange addListener(RaftConfiguration conf, RaftPeer target) {
    List<RaftPeer> listeners = new ArrayList<>(listeners(conf));
    listeners.add(target);
    return new MembershipChange(voters(conf), listeners(conf), voters(conf), listeners);
  }

  /** Rollback: the listener leaves again. */
  public static MembershipChange removeListener(RaftConfiguration conf, String target) {
    return new MembershipChange(voters(conf), listeners(conf), voters(conf), without(listeners(conf), target));
  }

  /**
   * Cut-over: in one change the target, outside the configuration, becomes a voter and the source leaves.
   * Refused for a target that is still a listener: see {@link RaftGroupAdmin#promoteAt}.
   */
  public static MembershipChange promote(RaftConfiguration conf, Function<String, RaftPeer> peers, String target,
                                         String source) {
    if (isListener(conf, target)) {
      throw new IllegalArgumentException("node '" + target + "' is a listener: remove it from the listeners first;"
          + " a configuration that lists it as a listener and as a voter cannot be led");
    }
    if (isVoter(conf, target)) {
      throw new IllegalArgumentException("node '" + target + "' is a voter already");
    }
    List<RaftPeer> voters = new ArrayList<>(without(voters(conf), source));
    voters.add(peers.apply(target));
    return new MembershipChange(voters(conf), listeners(conf), voters, listeners(conf));
  }

  /** Whether {@code node} is a listener in the configuration's current part. */
  public static boolean isListener(RaftConfiguration conf, String node) {
    return ids(listeners(conf)).contains(node);
  }

  /**
   * Whether a cut-over's membership change began: its target, a listener when the cut-over was accepted, no
   * longer is one (it is outside between the two changes of {@link RaftGroupAdmin#promoteAt}, then a voter).
   * From then on the cut-over only goes forward.
   */
  public static boolean promotionBegun(RaftConfiguration conf, String target) {
    return !isListener(conf, target);
  }

  /** Whether the cut-over's membership change is done: the target votes and the source no longer does. */
  public static boolean promoted(RaftConfiguration conf, String target, String source) {
    return isVoter(conf, target) && !isVoter(conf, source);
  }

  /** Whether {@code node} is a voter in the configuration's current part. */
  public static boolean isVoter(RaftConfiguration conf, String node) {
    return ids(voters(conf)).contains(node);
  }

  public List<String> newVoterIds() {
    return ids(newVoters);
  }

  public List<String> newListenerIds() {
    return ids(newListeners);
  }

  @Override
  public String toString() {
    return "voters " + ids(currentVoters) + " listeners " + ids(currentListeners) + " -> voters " + ids(newVoters)
        + " listeners " + ids(newListeners);
  }

  static List<RaftPeer> voters(RaftConfiguration conf) {
    return List.copyOf(conf.getCurrentPeers(RaftPeerRole.FOLLOWER));
  }

  static List<RaftPeer> listeners(RaftConfiguration conf) {
    return List.copyOf(conf.getCurrentPeers(RaftPeerRole.LISTENER));
  }

  private static List<RaftPeer> without(List<RaftPeer> peers, String id) {
    return peers.stream().filter(p -> !p.getId().toString().equals(id)).toList();
  }

  private static List<String> ids(List<RaftPeer> peers) {
    return peers.stream().map(p -> p.getId().toString()).sorted().toList();
  }
}
