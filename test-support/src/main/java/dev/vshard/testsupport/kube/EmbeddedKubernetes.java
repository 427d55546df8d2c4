package dev.vshard.testsupport.kube;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.stream.Stream;

/**
 * An embedded Kubernetes API: the fabric8 mock server in CRUD mode, standalone on a loopback port,
 * answering stock kubectl too (see {@link KubectlCompatibleDispatcher}). It stores objects and sends
 * watch events; it runs no controllers, no admission (no defaults, no CEL, no schema checks) and no
 * garbage collection.
 *
 * <p>Two ports: {@link #url()} is the mock itself, for fabric8 clients (they watch over WebSocket);
 * {@link #kubectlUrl()} is a {@link KubectlGateway} in front of it that also serves client-go's
 * streaming HTTP watches ({@code kubectl wait}, {@code kubectl delete}). Kubeconfigs point at the latter.
 */
public final class EmbeddedKubernetes implements AutoCloseable {

  public static final String DEFAULT_NAMESPACE = "default";

  /** The mock server logs every request at INFO through java.util.logging; keep a reference so the level sticks. */
  private static final java.util.logging.Logger MOCK_LOG = quietMockLog();

  private final KubernetesMockServer server;
  private final KubectlGateway gateway;
  private final List<KubernetesClient> clients = new ArrayList<>();

  private EmbeddedKubernetes(KubernetesMockServer server, KubectlGateway gateway) {
    this.server = server;
    this.gateway = gateway;
  }

  private static java.util.logging.Logger quietMockLog() {
    java.util.logging.Logger logger = java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");
    logger.setLevel(java.util.logging.Level.WARNING);
    return logger;
  }

  /** Starts on free loopback ports. */
  public static EmbeddedKubernetes start() {
    return start(0);
  }

  /**
   * Starts the mock on a free loopback port and the kubectl endpoint on {@code 127.0.0.1:kubectlPort}
   * (0 = any free port), and creates the {@code default} namespace.
   *
   * @throws IllegalStateException when the kubectl port is taken, naming it
   */
  public static EmbeddedKubernetes start(int kubectlPort) {
    KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
        new KubectlCompatibleDispatcher(), false);
    server.init(InetAddress.getLoopbackAddress(), 0);
    KubectlGateway gateway;
    try {
      gateway = KubectlGateway.start(kubectlPort, java.net.URI.create("http://127.0.0.1:" + server.getPort()));
    } catch (RuntimeException e) {
      server.destroy();
      throw e;
    }
    EmbeddedKubernetes kubernetes = new EmbeddedKubernetes(server, gateway);
    kubernetes.client().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(DEFAULT_NAMESPACE).endMetadata().build())
        .create();
    return kubernetes;
  }

  /** The mock server, {@code http://127.0.0.1:<port>}: for fabric8 clients. */
  public String url() {
    return "http://127.0.0.1:" + server.getPort();
  }

  /** The endpoint for kubectl and other client-go tools (streaming HTTP watches). */
  public String kubectlUrl() {
    return "http://127.0.0.1:" + gateway.port();
  }

  public int kubectlPort() {
    return gateway.port();
  }

  /** Streaming watches kubectl (or another client-go tool) holds open on {@link #kubectlUrl()} right now. */
  public int openKubectlWatches() {
    return gateway.openWatches();
  }

  /**
   * A client for this server in namespace {@code default}, closed with the server. It sets no field
   * manager: the CRUD store would silently ignore status patches carrying one.
   */
  public synchronized KubernetesClient client() {
    KubernetesClient client = new KubernetesClientBuilder().withConfig(clientConfig()).build();
    clients.add(client);
    return client;
  }

  /** The configuration {@link #client()} uses, for code that builds its own client (e.g. an operator). */
  public Config clientConfig() {
    return new ConfigBuilder(Config.empty()).withMasterUrl(url()).withNamespace(DEFAULT_NAMESPACE)
        .withTrustCerts(true).withRequestTimeout(30_000).withConnectionTimeout(10_000).build();
  }

  /** Creates the CRDs in every {@code *.yml}/{@code *.yaml} file of a folder (one CRD per file). */
  public List<CustomResourceDefinition> applyCrds(Path folder) {
    try (Stream<Path> files = Files.list(folder)) {
      List<CustomResourceDefinition> created = new ArrayList<>();
      for (Path file : files.filter(f -> f.toString().endsWith(".yml") || f.toString().endsWith(".yaml")).sorted().toList()) {
        try (InputStream in = Files.newInputStream(file)) {
          created.add(applyCrd(in));
        }
      }
      return created;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read CRDs from " + folder, e);
    }
  }

  public CustomResourceDefinition applyCrd(InputStream yaml) {
    KubernetesClient client = client();
    HasMetadata loaded = client.getKubernetesSerialization().unmarshal(yaml, CustomResourceDefinition.class);
    return client.apiextensions().v1().customResourceDefinitions().resource((CustomResourceDefinition) loaded).createOr(existing -> existing.update());
  }

  /** Writes a kubeconfig whose current context points at {@link #kubectlUrl()}, namespace {@code default}. */
  public Path writeKubeconfig(Path file) {
    return Kubeconfig.write(file, kubectlUrl(), DEFAULT_NAMESPACE);
  }

  @Override
  public synchronized void close() {
    clients.forEach(KubernetesClient::close);
    clients.clear();
    gateway.close();
    server.destroy();
  }
}
