package dev.vshard.helm;

import io.fabric8.kubernetes.api.model.APIResourceBuilder;
import io.fabric8.kubernetes.api.model.APIResourceListBuilder;
import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The Kubernetes API that Helm's {@code lookup} reads while the tests render the chart: the fabric8
 * mock server (objects stored CRUD-style, plus the discovery document for core/v1 that lookup needs).
 * <p>
 * helm-java's template runs Helm's install action with dry-run option "none", so {@code lookup}
 * contacts the cluster of the default kubeconfig (unlike the helm CLI's template, where it renders
 * empty). The embedded Go runtime reads KUBECONFIG once, when the native library loads, so the
 * module's surefire configuration sets KUBECONFIG to a fixed path and this class writes that file.
 */
final class LookupApiServer {

  /** Held so the JUL configuration is not garbage-collected with the logger. */
  private static final Logger QUIET_MOCK_LOG = Logger.getLogger("io.fabric8.mockwebserver");

  private static LookupApiServer instance;

  private final KubernetesMockServer server;
  private final NamespacedKubernetesClient client;

  private LookupApiServer(KubernetesMockServer server) {
    this.server = server;
    this.client = server.createClient();
  }

  /** The one server of this test JVM, started and written to $KUBECONFIG on first use. */
  static synchronized LookupApiServer get() {
    if (instance == null) {
      QUIET_MOCK_LOG.setLevel(Level.WARNING);
      // expectations first (discovery), then a CRUD store for objects
      Map<ServerRequest, Queue<ServerResponse>> expectations = new HashMap<>();
      KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), expectations,
          new KubernetesMixedDispatcher(expectations), false);
      server.init();
      // Helm's discovery request carries "?timeout=32s"; the mock matches the path with its query
      server.expect().get().withPath("/api/v1?timeout=32s")
          .andReturn(200, new APIResourceListBuilder().withGroupVersion("v1")
              .addToResources(new APIResourceBuilder().withName("secrets").withKind("Secret").withNamespaced(true)
                  .withVerbs("get", "list").build())
              .build())
          .always();
      writeKubeconfig(server.url("/"));
      instance = new LookupApiServer(server);
      Runtime.getRuntime().addShutdownHook(new Thread(server::destroy));
    }
    return instance;
  }

  NamespacedKubernetesClient client() {
    return client;
  }

  private static void writeKubeconfig(String serverUrl) {
    String path = System.getenv("KUBECONFIG");
    if (path == null || path.isBlank()) {
      throw new IllegalStateException("KUBECONFIG is not set: the helm module's surefire configuration sets it");
    }
    String kubeconfig = """
        apiVersion: v1
        kind: Config
        clusters:
          - name: mock
            cluster:
              server: %s
        users:
          - name: mock
            user:
              token: test
        contexts:
          - name: mock
            context:
              cluster: mock
              user: mock
              namespace: %s
        current-context: mock
        """.formatted(serverUrl.replaceAll("/$", ""), Chart.NAMESPACE);
    try {
      Path file = Path.of(path);
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.writeString(file, kubeconfig);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
