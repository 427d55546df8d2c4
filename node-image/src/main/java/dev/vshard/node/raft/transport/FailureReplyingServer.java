package dev.vshard.node.raft.transport;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Arrays;
import org.apache.ratis.server.RaftServer;

/**
 * The server as Ratis's Netty request handler sees it: a call that fails with an unchecked exception fails with
 * an {@link IOException} instead. The handler turns an IOException into an error reply, but lets any other
 * exception escape, so the caller heard nothing and waited for its request timeout (8 s between servers). Seen
 * with a vote request that reached a replica still in the listener role ("Unexpected role LISTENER"), and with a
 * snapshot notice that reached a replica whose log was not open yet.
 */
final class FailureReplyingServer {
  private FailureReplyingServer() {
  }

  static RaftServer of(RaftServer server) {
    return (RaftServer) Proxy.newProxyInstance(RaftServer.class.getClassLoader(), new Class<?>[] {RaftServer.class},
        (proxy, method, args) -> call(server, method, args));
  }

  private static Object call(RaftServer server, Method method, Object[] args) throws Throwable {
    try {
      return method.invoke(server, args);
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException && Arrays.asList(method.getExceptionTypes()).contains(IOException.class)) {
        throw new IOException(server.getId() + ": " + method.getName() + " failed: " + cause, cause);
      }
      throw cause;
    }
  }
}
