package dev.vshard.helm;

import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The image recipes (which cannot be built here) agree with the chart and the Maven build: the
 * user the chart runs as, the jar the build makes and its main class, the node's data volume.
 */
class DockerfileTest {

  @ParameterizedTest
  @CsvSource({
      "node-image, vshard-node.jar, dev.vshard.node.NodeMain",
      "operator, vshard-operator.jar, dev.vshard.operator.OperatorMain"})
  void imageRunsTheBuiltJarAsTheChartsUser(String module, String jar, String mainClass) throws IOException {
    String dockerfile = Files.readString(Chart.repoRoot().resolve(module).resolve("Dockerfile"));
    List<String> stages = Pattern.compile("(?m)^FROM ").splitAsStream(dockerfile).skip(1).toList();
    assertThat(stages).as("multi-stage: a Maven build, then the runtime").hasSize(2);
    assertThat(stages.get(0)).startsWith("maven:").contains("eclipse-temurin-17").contains("-pl " + module);
    assertThat(stages.get(1)).startsWith("eclipse-temurin:17-jre");

    String runtime = stages.get(1);
    assertThat(runtime).contains("COPY --from=build /src/" + module + "/target/" + jar + " ");
    assertThat(runtime).contains("\"-jar\", \"/opt/vshard/" + jar + "\"");
    assertThat(runtime).contains("-Djava.io.tmpdir=/tmp");
    assertThat(single(runtime, "(?m)^USER (\\S+)$")).as("numeric non-root user:group")
        .isEqualTo(runAsUser(module) + ":" + runAsUser(module));

    Path built = Chart.repoRoot().resolve(module).resolve("target").resolve(jar);
    if (Files.isRegularFile(built)) {  // built by this reactor run (-am) or an earlier one
      try (JarFile file = new JarFile(built.toFile())) {
        assertThat(file.getManifest().getMainAttributes().getValue("Main-Class")).isEqualTo(mainClass);
      }
    }
  }

  @ParameterizedTest
  @CsvSource("node-image")
  void nodeDataDirectoryIsAVolumeOwnedByTheUser(String module) throws IOException {
    String dockerfile = Files.readString(Chart.repoRoot().resolve(module).resolve("Dockerfile"));
    StatefulSet nodes = ValueSet.DEFAULTS.render().one(StatefulSet.class, "demo-node");
    String dataPath = Workloads.container(nodes.getSpec().getTemplate()).getVolumeMounts().stream()
        .filter(m -> m.getName().equals("data")).findFirst().orElseThrow().getMountPath();
    assertThat(single(dockerfile, "(?m)^VOLUME \\[\"([^\"]+)\"\\]$")).isEqualTo(dataPath);
    assertThat(dockerfile).contains("chown 10001:10001 " + dataPath);
    assertThat(single(dockerfile, "(?m)^EXPOSE (.+)$").split(" "))
        .containsExactlyInAnyOrderElementsOf(Workloads.container(nodes.getSpec().getTemplate()).getPorts().stream()
            .map(p -> String.valueOf(p.getContainerPort())).toList());
  }

  private static long runAsUser(String module) {
    Rendered rendered = ValueSet.DEFAULTS.render();
    PodTemplateSpec template = module.equals("operator")
        ? rendered.one(Deployment.class, "demo-operator").getSpec().getTemplate()
        : rendered.one(StatefulSet.class, "demo-node").getSpec().getTemplate();
    return template.getSpec().getSecurityContext().getRunAsUser();
  }

  private static String single(String text, String regex) {
    Matcher m = Pattern.compile(regex).matcher(text);
    assertThat(m.find()).as("%s in Dockerfile", regex).isTrue();
    return m.group(1).trim();
  }
}
