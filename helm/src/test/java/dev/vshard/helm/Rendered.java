package dev.vshard.helm;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** The output of one helm template, parsed into Kubernetes objects (fabric8 model classes). */
final class Rendered {

  private static final Pattern DOCUMENT_SEPARATOR = Pattern.compile("(?m)^---\\s*$");

  private final String yaml;
  private final List<HasMetadata> objects;

  private Rendered(String yaml, List<HasMetadata> objects) {
    this.yaml = yaml;
    this.objects = List.copyOf(objects);
  }

  static Rendered parse(String yaml) {
    List<HasMetadata> objects = new ArrayList<>();
    for (String document : DOCUMENT_SEPARATOR.split(yaml)) {
      if (document.lines().allMatch(line -> line.isBlank() || line.startsWith("#"))) {
        continue;
      }
      KubernetesResource parsed = Serialization.unmarshal(document);
      if (!(parsed instanceof HasMetadata object)) {
        throw new AssertionError("rendered document is not a Kubernetes object:\n" + document);
      }
      objects.add(object);
    }
    return new Rendered(yaml, objects);
  }

  /** Both renders together, as two releases in one cluster. */
  Rendered plus(Rendered other) {
    List<HasMetadata> both = new ArrayList<>(objects);
    both.addAll(other.objects);
    return new Rendered(yaml + "\n---\n" + other.yaml, both);
  }

  String yaml() {
    return yaml;
  }

  List<HasMetadata> all() {
    return objects;
  }

  <T extends HasMetadata> List<T> ofType(Class<T> type) {
    return objects.stream().filter(type::isInstance).map(type::cast).toList();
  }

  List<HasMetadata> ofKind(String kind) {
    return objects.stream().filter(o -> kind.equals(o.getKind())).toList();
  }

  <T extends HasMetadata> T one(Class<T> type, String name) {
    List<T> matches = ofType(type).stream().filter(o -> name.equals(o.getMetadata().getName())).toList();
    if (matches.size() != 1) {
      throw new AssertionError("expected one " + type.getSimpleName() + " named " + name + ", found " + matches.size()
          + " among " + summary());
    }
    return matches.get(0);
  }

  /** Pod templates of every workload, keyed by "Kind/name". */
  Map<String, PodTemplateSpec> podTemplates() {
    Map<String, PodTemplateSpec> templates = new LinkedHashMap<>();
    ofType(Deployment.class).forEach(d -> templates.put("Deployment/" + d.getMetadata().getName(), d.getSpec().getTemplate()));
    ofType(StatefulSet.class).forEach(s -> templates.put("StatefulSet/" + s.getMetadata().getName(), s.getSpec().getTemplate()));
    return templates;
  }

  /** "Kind/name" of every object, for assertion messages. */
  List<String> summary() {
    return objects.stream().map(o -> o.getKind() + "/" + o.getMetadata().getName()).toList();
  }
}
