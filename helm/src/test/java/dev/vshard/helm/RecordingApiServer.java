package dev.vshard.helm;

import io.fabric8.kubernetes.api.model.authorization.v1.ResourceRule;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectRulesReviewStatusBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The fabric8 mock API server in CRUD mode that records every request it serves, so a test can see
 * exactly which verbs on which resources a program used. It answers SelfSubjectRulesReview (which
 * JOSDK's leader election sends to check its Lease permissions) with rules the test supplies, the
 * way a real API server answers from RBAC.
 */
final class RecordingApiServer implements AutoCloseable {

  private static final Logger QUIET_MOCK_LOG = Logger.getLogger("io.fabric8.mockwebserver");

  private final KubernetesMockServer server;
  /** The bearer token programs started with {@link #clientEnvironment()} send; the test's own client sends another. */
  static final String PROGRAM_TOKEN = "program-under-test";

  /** One request: "METHOD path?query" and the bearer token it carried. */
  record Request(String line, String token) {
  }

  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final KubernetesClient client;

  RecordingApiServer(Function<String, List<ResourceRule>> rulesInNamespace) {
    QUIET_MOCK_LOG.setLevel(Level.WARNING);
    server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
        new Recording(requests, rulesInNamespace), false);
    server.init(InetAddress.getLoopbackAddress(), 0);
    client = new KubernetesClientBuilder().withConfig(config()).build();
  }

  /** A client configuration without field manager (the CRUD store would ignore such status patches). */
  Config config() {
    return new ConfigBuilder(Config.empty()).withMasterUrl("http://127.0.0.1:" + server.getPort())
        .withNamespace(Chart.NAMESPACE).withOauthToken("test-setup").withRequestTimeout(30_000).withConnectionTimeout(10_000).build();
  }

  /**
   * The fabric8 client's environment variables that point a program at this server, the way the
   * in-cluster configuration points it at the API server (no kubeconfig file is read).
   */
  Map<String, String> clientEnvironment() {
    return Map.of("KUBERNETES_MASTER", "http://127.0.0.1:" + server.getPort(),
        "KUBERNETES_NAMESPACE", Chart.NAMESPACE,
        "KUBERNETES_AUTH_TOKEN", PROGRAM_TOKEN,
        "KUBERNETES_AUTH_TRYKUBECONFIG", "false",
        "KUBERNETES_AUTH_TRYSERVICEACCOUNT", "false");
  }

  KubernetesClient client() {
    return client;
  }

  /** Every request so far, from anyone. */
  List<Request> requests() {
    return List.copyOf(requests);
  }

  /** The requests of the program under test as "METHOD path?query". */
  List<String> programRequests() {
    return requests.stream().filter(r -> PROGRAM_TOKEN.equals(r.token())).map(Request::line).toList();
  }

  /** Forgets the requests recorded so far (e.g. the test's own setup). */
  void clearRequests() {
    requests.clear();
  }

  @Override
  public void close() {
    client.close();
    server.destroy();
  }

  private static final class Recording extends KubernetesCrudDispatcher {
    private final List<Request> requests;
    private final Function<String, List<ResourceRule>> rulesInNamespace;

    Recording(List<Request> requests, Function<String, List<ResourceRule>> rulesInNamespace) {
      this.requests = requests;
      this.rulesInNamespace = rulesInNamespace;
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
      String authorization = request.getHeader("Authorization");
      String token = authorization == null ? null : authorization.replaceFirst("^Bearer ", "");
      requests.add(new Request(request.getMethod() + " " + request.getPath(), token));
      if ("POST".equals(request.getMethod()) && request.getPath().contains("/selfsubjectrulesreviews")) {
        SelfSubjectRulesReview review = Serialization.unmarshal(request.getUtf8Body(), SelfSubjectRulesReview.class);
        review.setStatus(new SubjectRulesReviewStatusBuilder().withIncomplete(false)
            .withResourceRules(rulesInNamespace.apply(review.getSpec().getNamespace())).build());
        return new MockResponse().setResponseCode(201).setBody(Serialization.asJson(review));
      }
      return super.dispatch(request);
    }
  }
}
