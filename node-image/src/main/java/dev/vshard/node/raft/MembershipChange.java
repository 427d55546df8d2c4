package dev.vshard.node.raft;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apache.ratis.proto.RaftProtos.RaftPeerRole;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.SetConfigurationRequest;
import org.apache.ratis.server.RaftConfiguration;

/**
 * A compare-and-set membership change of one group: the configuration it expects (taken from a division, the
 * exact peers Ratis compares) and the one it asks for. The changes a migration makes, and the metadata group's
 * ({@link MetadataMembership}), are built here so their shape is reviewed in one place. Always compare-and-set,
 * never Ratis's ADD mode: in Ratis 3.3.0 an ADD merges the voters but takes the listeners from the request alone
 * ({@code LeaderStateImpl.startSetConfiguration}), so adding one listener removed every other.
 */
public record MembershipChange(List<RaftPeer> currentVoters, List<RaftPeer> currentListeners,
                               List<RaftPeer> newVoters, List<RaftPeer> newListeners) {

  /** Phase 1: the target joins as a non-voting LISTENER. */
  public static MembershipChange addListener(RaftConfiguration conf, RaftPeer target) {
    List<RaftPeer> listeners = new ArrayList<>(listeners(conf));
    listeners.add(target);
    return new MembershipChange(voters(conf), listeners(conf), voters(conf), listeners);
  }

  /** A new voter, staged by Ratis until it has caught up; every listener stays. */
  public static MembershipChange addVoter(RaftConfiguration conf, RaftPeer voter) {
    List<RaftPeer> voters = new ArrayList<>(voters(conf));
    voters.add(voter);
    return new MembershipChange(voters(conf), listeners(conf), voters, listeners(conf));
  }

  /** A voter leaves; every listener stays. */
  public static MembershipChange removeVoter(RaftConfiguration conf, String node) {
    return new MembershipChange(voters(conf), listeners(conf), without(voters(conf), node), listeners(conf));
  }

  /** Rollback: the listener leaves again. */
  public static MembershipChange removeListener(RaftConfiguration conf, String target) {
    return new MembershipChange(voters(conf), listeners(conf), voters(conf), without(listeners(conf), target));
  }

  /**
   * Cut-over: in one change the target, outside the configuration, becomes a voter and the source leaves.
   * Refused for a target that is still a listener: see {@code migration.RaftGroupAdmin#promoteAt}.
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
   * longer is one (it is outside between the two changes of {@code migration.RaftGroupAdmin#promoteAt}, then a voter).
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

  /** The request's arguments: applied only if the group's configuration is still {@link #currentVoters} / {@link #currentListeners}. */
  public SetConfigurationRequest.Arguments arguments() {
    return SetConfigurationRequest.Arguments.newBuilder()
        .setMode(SetConfigurationRequest.Mode.COMPARE_AND_SET)
        .setServersInCurrentConf(currentVoters)
        .setListenersInCurrentConf(currentListeners)
        .setServersInNewConf(newVoters)
        .setListenersInNewConf(newListeners)
        .build();
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

  public static List<RaftPeer> voters(RaftConfiguration conf) {
    return List.copyOf(conf.getCurrentPeers(RaftPeerRole.FOLLOWER));
  }

  public static List<RaftPeer> listeners(RaftConfiguration conf) {
    return List.copyOf(conf.getCurrentPeers(RaftPeerRole.LISTENER));
  }

  private static List<RaftPeer> without(List<RaftPeer> peers, String id) {
    return peers.stream().filter(p -> !p.getId().toString().equals(id)).toList();
  }

  /** Node ids, sorted. */
  public static List<String> ids(List<RaftPeer> peers) {
    return peers.stream().map(p -> p.getId().toString()).sorted().toList();
  }
}
