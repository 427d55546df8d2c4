package dev.vshard.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vshard.node.raft.RaftTuning;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node that joins while the cluster is still bootstrapping must be told to come back, not be registered
 * through a metadata group that does not exist yet: that call made Ratis close the initiator's pooled client
 * and the bootstrap never finished (found by bench/side-by-side.sh, which starts a joiner with the members).
 * Here the second initial member never starts, so the initiator stays in its first bootstrap step.
 */
class RegistrationBeforeBootstrapTest {
  @TempDir
  Path root;

  @Test
  void aMemberWithoutARoutingTableAnswers503NotReady() throws Exception {
    int[] ports = LoopbackCluster.freePorts(3);
    Files.writeString(root.resolve("token"), LoopbackCluster.TOKEN);
    List<InitialMember> members = List.of(new InitialMember("boot-0", "127.0.0.1"), new InitialMember("boot-1", "127.0.0.2"));
    NodeConfig config = new NodeConfig("boot-0", "early", "127.0.0.1", "127.0.0.1", ports[0], ports[1], ports[2],
        root.resolve("boot-0"), members, 2, 2, root.resolve("token"), Duration.ofMinutes(10), 0, 10_000, 256, false,
        RaftTuning.DEFAULT_SEGMENT_BYTES);
    try (Node node = new Node(config).start()) {
      String body = "{\"node\":\"late-5\",\"host\":\"127.0.0.5\",\"httpPort\":" + ports[0] + ",\"adminPort\":" + ports[1]
          + ",\"raftPort\":" + ports[2] + "}";
      HttpResponse<String> answer = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ports[1] + "/admin/v1/nodes"))
              .header("Authorization", "Bearer " + LoopbackCluster.TOKEN)
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
          HttpResponse.BodyHandlers.ofString());

      assertThat(answer.statusCode()).as(answer.body()).isEqualTo(503);
      assertThat(answer.body()).contains("\"code\":\"NotReady\"").contains("bootstrapping");
      assertThat(node.isReady()).as("the initiator is still waiting for its second member").isFalse();
      HttpResponse<String> readyz = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ports[0] + "/readyz")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(readyz.statusCode()).isEqualTo(503);
      assertThat(readyz.body()).as("readyz says why").contains("NOT_READY").contains("not bootstrapped yet");
    }
  }
}
