package dev.vshard.node.http;

import dev.vshard.node.raft.NodeDirectory;
import dev.vshard.node.raft.SnapshotSource;
import dev.vshard.node.routing.NodeAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.server.protocol.TermIndex;

/** Downloads a leader's snapshot from its admin port ({@link SnapshotRoutes}) into a file. */
public final class HttpSnapshotSource implements SnapshotSource {
  private final HttpClient http;
  private final NodeDirectory directory;
  private final AdminToken token;

  public HttpSnapshotSource(HttpClient http, NodeDirectory directory, AdminToken token) {
    this.http = http;
    this.directory = directory;
    this.token = token;
  }

  @Override
  public CompletableFuture<TermIndex> download(RaftGroupId group, String leaderNodeId, Path target) {
    NodeAddress leader = directory.address(leaderNodeId).orElse(null);
    if (leader == null) {
      return CompletableFuture.failedFuture(new IllegalStateException("leader '" + leaderNodeId + "' is not in the node directory"));
    }
    URI uri = URI.create("http://" + leader.host() + ":" + leader.adminPort() + "/admin/v1/internal/snapshots/" + group.getUuid());
    HttpRequest request = HttpRequest.newBuilder(uri).header("Authorization", token.authorizationHeader())
        .timeout(Duration.ofHours(1)).GET().build();
    return http.sendAsync(request, HttpResponse.BodyHandlers.ofFile(target)).thenApply(response -> {
      if (response.statusCode() == 404 && response.headers().firstValue(SnapshotRoutes.NONE_HEADER).isPresent()) {
        return null; // the leader has no snapshot (its log still starts at the beginning): nothing to install
      }
      if (response.statusCode() != 200) {
        throw new IllegalStateException("snapshot download from " + leaderNodeId + " answered " + response.statusCode());
      }
      long term = Long.parseLong(response.headers().firstValue(SnapshotRoutes.TERM_HEADER).orElseThrow());
      long index = Long.parseLong(response.headers().firstValue(SnapshotRoutes.INDEX_HEADER).orElseThrow());
      return TermIndex.valueOf(term, index);
    });
  }
}
