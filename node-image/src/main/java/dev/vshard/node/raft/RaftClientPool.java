package dev.vshard.node.raft;

import java.io.IOException;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One reusable {@link RaftClient} per group (clients own gRPC channels: creating one per request is slow).
 * A client is replaced when the group's known peers change.
 */
final class RaftClientPool implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RaftClientPool.class);

  private final RaftProperties properties = RaftTuning.clientProperties();
  private final Map<RaftGroupId, Pooled> clients = new ConcurrentHashMap<>();

  private record Pooled(Set<String> peerKey, RaftClient client) {
  }

  RaftClient client(RaftGroup group) {
    Set<String> key = group.getPeers().stream().map(p -> p.getId() + "@" + p.getAddress() + "/" + p.getStartupRole())
        .collect(Collectors.toSet());
    Pooled pooled = clients.compute(group.getGroupId(), (id, existing) -> {
      if (existing != null && existing.peerKey().equals(key)) {
        return existing;
      }
      if (existing != null) {
        closeQuietly(existing.client());
      }
      return new Pooled(key, RaftClient.newBuilder().setProperties(properties).setRaftGroup(group).build());
    });
    return pooled.client();
  }

  @Override
  public void close() {
    clients.values().forEach(p -> closeQuietly(p.client()));
    clients.clear();
  }

  private static void closeQuietly(RaftClient client) {
    try {
      client.close();
    } catch (IOException e) {
      LOG.debug("closing a Raft client failed: {}", e.toString());
    }
  }
}
