package dev.vshard.helm;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The chart installs exactly the CRD the operator's model generates (crds/ at the repository root). */
class CrdInChartTest {

  static final String CRD_FILE = "vshardmigrations.vshard.dev-v1.yml";

  @Test
  void chartCrdIsByteForByteTheGeneratedOne() throws IOException {
    Path generated = Chart.repoRoot().resolve("crds").resolve(CRD_FILE);
    Path inChart = Chart.dir().resolve("crds").resolve(CRD_FILE);
    assertThat(generated).as("generated CRD (operator build)").exists();
    assertThat(inChart).as("chart CRD").exists();
    assertThat(Files.readAllBytes(inChart))
        .as("helm/vshard/crds/%s differs from crds/%s; copy it: cp crds/%s helm/vshard/crds/", CRD_FILE, CRD_FILE, CRD_FILE)
        .isEqualTo(Files.readAllBytes(generated));
  }

  @Test
  void chartCarriesNoOtherCrd() throws IOException {
    try (Stream<Path> files = Files.list(Chart.dir().resolve("crds"))) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly(CRD_FILE);
    }
  }

  /** The CRD the chart installs, parsed. */
  static CustomResourceDefinition crd() {
    try {
      return Serialization.unmarshal(Files.readString(Chart.dir().resolve("crds").resolve(CRD_FILE)),
          CustomResourceDefinition.class);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void crdServesTheStatusSubresourceTheOperatorPatches() {
    CustomResourceDefinition crd = crd();
    assertThat(crd.getSpec().getGroup()).isEqualTo("vshard.dev");
    assertThat(crd.getSpec().getNames().getShortNames()).contains("vsm");
    assertThat(crd.getSpec().getVersions()).anySatisfy(v -> {
      assertThat(v.getServed()).isTrue();
      assertThat(v.getSubresources().getStatus()).isNotNull();
    });
  }
}
