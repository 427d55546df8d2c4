package dev.vshard.node.kv;

import java.util.Optional;

/**
 * Ghost stubs left behind when a vShard moved away from this node. A stub takes precedence over the
 * routing table: requests go to {@link #newOwner} with header {@code X-VShard-Forwarded-By}.
 */
public interface GhostResolver {
  GhostResolver NONE = new GhostResolver() {
    @Override
    public Optional<String> newOwner(int vshard) {
      return Optional.empty();
    }

    @Override
    public void recordForward(int vshard) {
      // no stubs, nothing to count
    }
  };

  Optional<String> newOwner(int vshard);

  /** Counts one request forwarded through the stub of {@code vshard} (and refreshes its last use). */
  void recordForward(int vshard);
}
