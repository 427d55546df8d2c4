package dev.vshard.helm;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The environment a container of a rendered pod template would see, resolved as the kubelet does:
 * {@code fieldRef} to the pod's name and namespace, and {@code $(VAR)} expanded from variables
 * defined earlier in the list (a reference to a later or unknown variable stays as written).
 */
final class PodEnvironment {

  private static final Pattern REFERENCE = Pattern.compile("\\$\\(([A-Za-z_][A-Za-z0-9_]*)\\)");

  private PodEnvironment() {
  }

  static Map<String, String> resolve(PodTemplateSpec template, String podName, String namespace) {
    Map<String, String> env = new LinkedHashMap<>();
    for (EnvVar var : Workloads.container(template).getEnv()) {
      env.put(var.getName(), value(var, env, podName, namespace));
    }
    return env;
  }

  private static String value(EnvVar var, Map<String, String> earlier, String podName, String namespace) {
    if (var.getValueFrom() == null) {
      return expand(var.getValue() == null ? "" : var.getValue(), earlier);
    }
    if (var.getValueFrom().getFieldRef() == null) {
      throw new AssertionError(var.getName() + ": only fieldRef sources are resolved here, found " + var.getValueFrom());
    }
    String path = var.getValueFrom().getFieldRef().getFieldPath();
    return switch (path) {
      case "metadata.name" -> podName;
      case "metadata.namespace" -> namespace;
      default -> throw new AssertionError(var.getName() + ": unexpected fieldRef " + path);
    };
  }

  private static String expand(String value, Map<String, String> earlier) {
    Matcher m = REFERENCE.matcher(value);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String replacement = earlier.getOrDefault(m.group(1), m.group());
      m.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(out);
    return out.toString();
  }
}
