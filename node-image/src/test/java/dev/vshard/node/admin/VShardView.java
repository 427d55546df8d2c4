package dev.vshard.node.admin;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** Reading the admin API's view of a vShard ({@code GET /admin/v1/vshards/{v}}) in tests. */
public final class VShardView {
  private VShardView() {
  }

  /** The leader's lag for {@code node} in {@code view}'s peers, or {@link Long#MAX_VALUE} when it reports none. */
  public static long lagOf(JsonNode view, String node) {
    for (JsonNode peer : view.get("peers")) {
      if (peer.get("node").asText().equals(node) && !peer.get("lag").isNull()) {
        return peer.get("lag").asLong();
      }
    }
    return Long.MAX_VALUE;
  }

  /** The strings of a JSON array (voters, listeners). */
  public static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }
}
