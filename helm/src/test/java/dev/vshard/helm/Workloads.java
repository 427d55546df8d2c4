package dev.vshard.helm;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;

import java.util.LinkedHashMap;
import java.util.Map;

/** Reads the parts of rendered workloads the tests look at. */
final class Workloads {

  private Workloads() {
  }

  /** The pod's only container (the chart runs one container per pod). */
  static Container container(PodTemplateSpec template) {
    if (template.getSpec().getContainers().size() != 1) {
      throw new AssertionError("expected one container, found " + template.getSpec().getContainers());
    }
    return template.getSpec().getContainers().get(0);
  }

  /**
   * The container's environment in order: a literal value as is, a field reference as
   * "fieldRef:&lt;path&gt;", anything else as "ref".
   */
  static Map<String, String> env(PodTemplateSpec template) {
    Map<String, String> env = new LinkedHashMap<>();
    for (EnvVar var : container(template).getEnv()) {
      if (env.containsKey(var.getName())) {
        throw new AssertionError("environment variable set twice: " + var.getName());
      }
      env.put(var.getName(), describe(var));
    }
    return env;
  }

  private static String describe(EnvVar var) {
    if (var.getValueFrom() == null) {
      return var.getValue() == null ? "" : var.getValue();
    }
    if (var.getValueFrom().getFieldRef() != null) {
      return "fieldRef:" + var.getValueFrom().getFieldRef().getFieldPath();
    }
    return "ref";
  }

  /** The spec of an object fabric8 has no model class for (ServiceMonitor). */
  @SuppressWarnings("unchecked")
  static Map<String, Object> genericSpec(HasMetadata object) {
    if (!(object instanceof GenericKubernetesResource generic)) {
      throw new AssertionError(object.getKind() + " parsed as " + object.getClass());
    }
    return (Map<String, Object>) generic.getAdditionalProperties().get("spec");
  }
}
