package dev.vshard.helm;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The chart in helm/vshard, rendered by real Helm (helm-java embeds Helm as a native library).
 * Renders are cached per values text: a render is deterministic except for the generated token.
 */
final class Chart {

  static final String RELEASE = "demo";
  static final String NAMESPACE = "vshard-system";
  /** helm template defaults to Kubernetes 1.20; the chart needs 1.25+ (CEL rules in the CRD). */
  static final String KUBE_VERSION = "1.30.0";

  private static final Map<String, Rendered> CACHE = new ConcurrentHashMap<>();

  private Chart() {
  }

  /** helm/vshard, found from the module directory Maven runs the tests in. */
  static Path dir() {
    return moduleDir().resolve("vshard");
  }

  /** The repository root (parent of helm/). */
  static Path repoRoot() {
    return moduleDir().getParent();
  }

  private static Path moduleDir() {
    String configured = System.getProperty("vshard.helm.module", System.getProperty("basedir", System.getProperty("user.dir")));
    Path base = Path.of(configured).toAbsolutePath();
    if (Files.isDirectory(base.resolve("vshard"))) {
      return base;
    }
    if (Files.isDirectory(base.resolve("helm/vshard"))) {
      return base.resolve("helm");
    }
    throw new IllegalStateException("cannot find helm/vshard from " + base);
  }

  /** helm template with the given values (YAML text, may be empty); throws when Helm refuses. */
  static Rendered render(String valuesYaml) {
    return CACHE.computeIfAbsent(valuesYaml, v -> Rendered.parse(template(v).call()));
  }

  /** The message Helm fails with for these values; fails the test when Helm renders them. */
  static String renderFailure(String valuesYaml) {
    TemplateCommand command = template(valuesYaml);
    String out;
    try {
      out = command.call();
    } catch (IllegalStateException refused) {
      // helm-java reports Helm's error (schema violation, template fail) as IllegalStateException
      return refused.getMessage();
    }
    throw new AssertionError("helm template accepted values it should refuse:\n" + valuesYaml + "\n---\n" + out);
  }

  private static TemplateCommand template(String valuesYaml) {
    LookupApiServer.get();
    return new Helm(dir()).template()
        .withName(RELEASE)
        .withNamespace(NAMESPACE)
        .withKubeVersion(KUBE_VERSION)
        .withValuesFile(writeValues(valuesYaml));
  }

  private static Path writeValues(String yaml) {
    try {
      Path file = Files.createTempFile("vshard-values-", ".yaml");
      file.toFile().deleteOnExit();
      Files.writeString(file, yaml);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
