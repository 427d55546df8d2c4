package dev.vshard.node.routing;

import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.apache.ratis.protocol.RaftGroupId;

/** Raft group ids are name-based UUIDs so every node derives the same id without asking anyone. */
public final class GroupIds {
  private final String clusterId;
  private final RaftGroupId metadata;

  public GroupIds(String clusterId) {
    this.clusterId = clusterId;
    this.metadata = RaftGroupId.valueOf(nameUuid(clusterId + "/meta"));
  }

  public RaftGroupId metadata() {
    return metadata;
  }

  public RaftGroupId vshard(int v) {
    return RaftGroupId.valueOf(nameUuid(clusterId + "/vshard/" + v));
  }

  private static UUID nameUuid(String name) {
    return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8));
  }
}
