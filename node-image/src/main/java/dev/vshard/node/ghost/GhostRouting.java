package dev.vshard.node.ghost;

import dev.vshard.node.kv.GhostResolver;
import dev.vshard.node.routing.MetadataService;
import java.util.Optional;

/**
 * The data path's view of the ghost stubs. A stub takes precedence over the routing table, except when the
 * routing table lists this node as a member of the vShard again (the vShard came back): then the stub is
 * stale and is dropped.
 */
public final class GhostRouting implements GhostResolver {
  private final GhostStore store;
  private final MetadataService metadata;
  private final String self;

  public GhostRouting(GhostStore store, MetadataService metadata, String self) {
    this.store = store;
    this.metadata = metadata;
    this.self = self;
  }

  @Override
  public Optional<String> newOwner(int vshard) {
    Optional<GhostStub> stub = store.find(vshard);
    if (stub.isEmpty()) {
      return Optional.empty();
    }
    boolean memberAgain = metadata.current().shard(vshard).map(r -> r.hasMember(self)).orElse(false);
    if (memberAgain) {
      store.remove(vshard);
      return Optional.empty();
    }
    return Optional.of(stub.get().newOwner());
  }

  @Override
  public void recordForward(int vshard) {
    store.recordForward(vshard);
  }
}
