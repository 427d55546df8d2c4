package dev.vshard.testsupport.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Stock kubectl against the embedded API: discovery, apply, Table columns, describe's Events, wait's watch, delete. */
class EmbeddedKubernetesKubectlTest {

  private static final Duration KUBECTL_TIMEOUT = Duration.ofSeconds(60);
  private static final ResourceDefinitionContext GADGETS = new ResourceDefinitionContext.Builder()
      .withGroup("test.vshard.dev").withVersion("v1alpha1").withPlural("gadgets").withKind("Gadget").withNamespaced(true).build();

  @TempDir
  static Path temp;

  private static EmbeddedKubernetes kubernetes;
  private static KubernetesClient client;
  private static Kubectl kubectl;

  @BeforeAll
  static void start() throws Exception {
    kubernetes = EmbeddedKubernetes.start();
    try (InputStream crd = EmbeddedKubernetesKubectlTest.class.getResourceAsStream("/crds/gadgets.test.vshard.dev.yaml")) {
      kubernetes.applyCrd(crd);
    }
    client = kubernetes.client();
    kubectl = new Kubectl(kubernetes.writeKubeconfig(temp.resolve("kubeconfig")), temp.resolve("kubectl-cache"));
  }

  @AfterAll
  static void stop() {
    kubernetes.close();
  }

  @Test
  void applyGetAndDeleteACustomResourceWithPrinterColumns() throws Exception {
    Path manifest = gadget("apply-me", 3, "blue");

    assertOk(kubectl.run(KUBECTL_TIMEOUT, "apply", "--validate=false", "-f", manifest.toString()))
        .contains("gadget.test.vshard.dev/apply-me created");
    assertThat(client.genericKubernetesResources(GADGETS).withName("apply-me").get().getAdditionalProperties().get("spec"))
        .isEqualTo(Map.of("size", 3, "colour", "blue"));

    String table = assertOk(kubectl.run(KUBECTL_TIMEOUT, "get", "gdg", "apply-me"));
    assertThat(table.lines().findFirst().orElseThrow().split("\\s+")).containsExactly("NAME", "SIZE", "COLOUR", "PHASE", "READY", "AGE");
    assertThat(table.lines().skip(1).findFirst().orElseThrow().split("\\s+")).startsWith("apply-me", "3", "blue");

    Files.writeString(manifest, Files.readString(manifest).replace("size: 3", "size: 7"));
    assertOk(kubectl.run(KUBECTL_TIMEOUT, "apply", "--validate=false", "-f", manifest.toString())).contains("configured");
    assertThat(assertOk(kubectl.run(KUBECTL_TIMEOUT, "get", "gadget", "apply-me", "-o", "jsonpath={.spec.size}"))).isEqualTo("7");

    assertOk(kubectl.run(KUBECTL_TIMEOUT, "delete", "-f", manifest.toString())).contains("deleted");
    assertThat(client.genericKubernetesResources(GADGETS).withName("apply-me").get()).isNull();
    Kubectl.Result gone = kubectl.run(KUBECTL_TIMEOUT, "get", "gadget", "apply-me");
    assertThat(gone.exitCode()).as(gone.describe()).isNotZero();
    assertThat(gone.stderr()).contains("\"apply-me\" not found");
  }

  @Test
  void applyWithoutValidateFalseFailsBecauseNoOpenApiIsServed() throws Exception {
    Kubectl.Result result = kubectl.run(KUBECTL_TIMEOUT, "apply", "-f", gadget("validated", 1, "red").toString());

    assertThat(result.exitCode()).as(result.describe()).isNotZero();
    assertThat(result.stderr()).contains("--validate=false");
  }

  @Test
  void describeListsOnlyTheEventsOfThatObject() throws Exception {
    assertOk(kubectl.run(KUBECTL_TIMEOUT, "apply", "--validate=false", "-f", gadget("described", 2, "green").toString()));
    GenericKubernetesResource described = client.genericKubernetesResources(GADGETS).withName("described").get();
    recordEvent("described", described.getMetadata().getUid(), "PhaseChanged", "BaseCopy started");
    recordEvent("someone-else", "00000000-0000-0000-0000-000000000001", "Unrelated", "not about 'described'");

    String description = assertOk(kubectl.run(KUBECTL_TIMEOUT, "describe", "gadget", "described"));

    assertThat(description).contains("PhaseChanged").contains("BaseCopy started").doesNotContain("Unrelated");
  }

  @Test
  void waitForConditionSeesAStatusChangeThroughItsWatch() throws Exception {
    assertOk(kubectl.run(KUBECTL_TIMEOUT, "apply", "--validate=false", "-f", gadget("awaited", 4, "black").toString()));
    int watchesBefore = kubernetes.openKubectlWatches();
    Process wait = kubectl.start("wait", "--for=condition=Ready", "gadget/awaited", "--timeout=90s");
    // the condition is false at first, so kubectl must be watching before we flip it
    await().atMost(Duration.ofSeconds(60)).until(() -> kubernetes.openKubectlWatches() > watchesBefore);

    client.genericKubernetesResources(GADGETS).withName("awaited").editStatus(gadget -> {
      gadget.setAdditionalProperty("status", Map.of("phase", "Completed",
          "conditions", List.of(Map.of("type", "Ready", "status", "True", "reason", "Completed", "lastTransitionTime", "2026-01-01T00:00:00Z"))));
      return gadget;
    });

    await().atMost(Duration.ofSeconds(60)).until(() -> !wait.isAlive());
    assertOk(kubectl.result(wait)).contains("condition met");
  }

  @Test
  void deleteWaitsThroughTheWatchUntilAFinalizerIsRemoved() throws Exception {
    Path manifest = Files.writeString(temp.resolve("held.yaml"), """
        apiVersion: test.vshard.dev/v1alpha1
        kind: Gadget
        metadata:
          name: held
          finalizers: ["test.vshard.dev/hold"]
        spec:
          size: 1
          colour: grey
        """);
    assertOk(kubectl.run(KUBECTL_TIMEOUT, "apply", "--validate=false", "-f", manifest.toString()));
    int watchesBefore = kubernetes.openKubectlWatches();

    Process delete = kubectl.start("delete", "gadget", "held", "--timeout=90s");
    await().atMost(Duration.ofSeconds(60)).until(() -> kubernetes.openKubectlWatches() > watchesBefore);
    assertThat(client.genericKubernetesResources(GADGETS).withName("held").get().getMetadata().getDeletionTimestamp()).isNotNull();
    assertThat(delete.isAlive()).as("kubectl delete waits while the finalizer holds the object").isTrue();

    client.genericKubernetesResources(GADGETS).withName("held").edit(gadget -> {
      gadget.getMetadata().setFinalizers(List.of());
      return gadget;
    });

    await().atMost(Duration.ofSeconds(60)).until(() -> !delete.isAlive());
    assertOk(kubectl.result(delete)).contains("\"held\" deleted");
    assertThat(client.genericKubernetesResources(GADGETS).withName("held").get()).isNull();
  }

  @Test
  void anHttpWatchFirstReplaysChangesMadeAfterTheListedResourceVersion() throws Exception {
    // client-go lists at version N and watches from N; the mock's WebSocket watch starts "now"
    assertOk(kubectl.run(KUBECTL_TIMEOUT, "apply", "--validate=false", "-f", gadget("raced", 1, "white").toString()));
    String listedAt = client.genericKubernetesResources(GADGETS).list().getMetadata().getResourceVersion();
    client.genericKubernetesResources(GADGETS).withName("raced").edit(gadget -> {
      gadget.setAdditionalProperty("spec", Map.of("size", 2, "colour", "white"));
      return gadget;
    });

    String first = firstWatchEvent("raced", listedAt);
    assertThat(first).contains("\"type\":\"MODIFIED\"").contains("\"size\":2");
  }

  @Test
  void anHttpWatchOfANamedObjectDeletedAfterTheListedResourceVersionSeesItDeleted() throws Exception {
    // kubectl delete lists the object (a finalizer still holds it), then watches it; the finalizer went first
    assertOk(kubectl.run(KUBECTL_TIMEOUT, "apply", "--validate=false", "-f", gadget("vanished", 1, "grey").toString()));
    String listedAt = client.genericKubernetesResources(GADGETS).list().getMetadata().getResourceVersion();
    client.genericKubernetesResources(GADGETS).withName("vanished").delete();
    await().atMost(Duration.ofSeconds(30)).until(() -> client.genericKubernetesResources(GADGETS).withName("vanished").get() == null);

    String first = firstWatchEvent("vanished", listedAt);
    assertThat(first).contains("\"type\":\"DELETED\"").contains("\"kind\":\"Gadget\"")
        .contains("\"name\":\"vanished\"").contains("\"namespace\":\"default\"");
  }

  /** The first event of an HTTP watch of one gadget from {@code listedAt}, as kubectl opens it (ends after 5 s). */
  private static String firstWatchEvent(String name, String listedAt) throws Exception {
    java.net.http.HttpResponse<java.util.stream.Stream<String>> watch = java.net.http.HttpClient.newHttpClient().send(
        java.net.http.HttpRequest.newBuilder(java.net.URI.create(kubernetes.kubectlUrl()
            + "/apis/test.vshard.dev/v1alpha1/namespaces/default/gadgets?fieldSelector=metadata.name%3D" + name
            + "&watch=true&timeoutSeconds=5&resourceVersion=" + listedAt)).build(),
        java.net.http.HttpResponse.BodyHandlers.ofLines());
    return watch.body().findFirst().orElseThrow();
  }

  private void recordEvent(String objectName, String uid, String reason, String message) {
    client.v1().events().resource(new EventBuilder()
        .withNewMetadata().withGenerateName(objectName + ".").withNamespace("default").endMetadata()
        .withNewInvolvedObject().withApiVersion("test.vshard.dev/v1alpha1").withKind("Gadget").withName(objectName)
          .withNamespace("default").withUid(uid).endInvolvedObject()
        .withReason(reason).withMessage(message).withType("Normal").withCount(1)
        .withFirstTimestamp("2026-01-01T00:00:00Z").withLastTimestamp("2026-01-01T00:00:00Z")
        .withNewSource().withComponent("test").endSource()
        .build()).create();
  }

  private static Path gadget(String name, int size, String colour) throws Exception {
    return Files.writeString(temp.resolve(name + ".yaml"), """
        apiVersion: test.vshard.dev/v1alpha1
        kind: Gadget
        metadata:
          name: %s
        spec:
          size: %d
          colour: %s
        """.formatted(name, size, colour));
  }

  private static String assertOk(Kubectl.Result result) {
    assertThat(result.exitCode()).as(result.describe()).isZero();
    return result.stdout();
  }
}
