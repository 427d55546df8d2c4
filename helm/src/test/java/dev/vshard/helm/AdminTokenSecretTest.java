package dev.vshard.helm;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The admin token is generated once and kept: on an upgrade Helm's lookup finds the Secret and the
 * chart reuses its token. Renders here use values no other test uses, so nothing comes from the cache.
 */
class AdminTokenSecretTest {

  private static final String CLUSTER = "tokens";
  private static final String SECRET = CLUSTER + "-admin-token";

  @AfterEach
  void removeSecret() {
    LookupApiServer.get().client().secrets().inNamespace(Chart.NAMESPACE).withName(SECRET).delete();
  }

  @Test
  void firstInstallGeneratesARandomTokenThatSurvivesUninstall() {
    Secret first = renderSecret("ghostTtl: 11m");
    Secret second = renderSecret("ghostTtl: 12m");
    assertThat(token(first)).hasSize(48).matches("[A-Za-z0-9]+");
    assertThat(token(second)).as("no Secret in the cluster: each render generates afresh").isNotEqualTo(token(first));
    assertThat(first.getMetadata().getAnnotations()).containsEntry("helm.sh/resource-policy", "keep");
    assertThat(first.getMetadata().getLabels())
        .containsEntry("app.kubernetes.io/name", "vshard-node").containsEntry("app.kubernetes.io/instance", CLUSTER);
  }

  @Test
  void upgradeKeepsTheTokenOfTheExistingSecret() {
    String existing = "kept-token-from-the-first-install";
    LookupApiServer.get().client().secrets().inNamespace(Chart.NAMESPACE).resource(new SecretBuilder()
        .withNewMetadata().withName(SECRET).withNamespace(Chart.NAMESPACE).endMetadata()
        .addToData("token", Base64.getEncoder().encodeToString(existing.getBytes(StandardCharsets.UTF_8)))
        .build()).create();

    assertThat(token(renderSecret("ghostTtl: 13m"))).isEqualTo(existing);
  }

  @Test
  void existingSecretRendersNoSecretButStillMountsTheContractName() {
    Rendered rendered = Chart.render(values("adminToken: {existingSecret: true}"));
    assertThat(rendered.ofType(Secret.class)).isEmpty();
    StatefulSet nodes = rendered.one(StatefulSet.class, CLUSTER + "-node");
    Volume token = nodes.getSpec().getTemplate().getSpec().getVolumes().stream()
        .filter(v -> v.getSecret() != null).findFirst().orElseThrow();
    assertThat(token.getSecret().getSecretName()).isEqualTo(SECRET);
  }

  private static Secret renderSecret(String extraNodeValue) {
    return Chart.render(values(extraNodeValue)).one(Secret.class, SECRET);
  }

  private static String values(String extraNodeValue) {
    return "nodes:\n  clusterName: " + CLUSTER + "\n  " + extraNodeValue + "\n";
  }

  private static String token(Secret secret) {
    return new String(Base64.getDecoder().decode(secret.getData().get("token")), StandardCharsets.UTF_8);
  }
}
