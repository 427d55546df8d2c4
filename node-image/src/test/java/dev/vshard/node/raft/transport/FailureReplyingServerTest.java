package dev.vshard.node.raft.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.lang.reflect.Proxy;
import org.apache.ratis.proto.RaftProtos.RequestVoteRequestProto;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.junit.jupiter.api.Test;

class FailureReplyingServerTest {
  /** A stand-in for a Ratis server (a fake at the boundary): every vote request fails as a listener's does. */
  private static RaftServer throwingServerFake() {
    return (RaftServer) Proxy.newProxyInstance(RaftServer.class.getClassLoader(), new Class<?>[] {RaftServer.class},
        (proxy, method, args) -> switch (method.getName()) {
          case "getId" -> RaftPeerId.valueOf("s0");
          case "requestVote" -> throw new IllegalStateException("Unexpected role LISTENER");
          case "getProperties" -> throw new IllegalArgumentException("not configured");
          default -> throw new UnsupportedOperationException(method.getName());
        });
  }

  @Test
  void anUncheckedFailureOfACallThatMayFailWithIoBecomesAnIoException() {
    RaftServer server = FailureReplyingServer.of(throwingServerFake());
    assertThatThrownBy(() -> server.requestVote(RequestVoteRequestProto.getDefaultInstance()))
        .isInstanceOf(IOException.class).hasMessageContaining("s0: requestVote failed")
        .hasCauseInstanceOf(IllegalStateException.class).hasRootCauseMessage("Unexpected role LISTENER");
  }

  @Test
  void otherCallsAnswerAndFailAsBefore() {
    RaftServer server = FailureReplyingServer.of(throwingServerFake());
    assertThat(server.getId()).isEqualTo(RaftPeerId.valueOf("s0"));
    assertThatThrownBy(server::getProperties).isInstanceOf(IllegalArgumentException.class).hasMessage("not configured");
  }
}
