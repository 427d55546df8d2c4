package dev.vshard.testsupport.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The legacy discovery documents ({@code /api}, {@code /api/v1}, {@code /apis}, {@code /apis/g/v})
 * kubectl reads before any request: the built-in resources we store plus every version of every
 * stored CustomResourceDefinition. kubectl asks for aggregated discovery first and falls back to
 * these when the answer is plain {@code application/json}.
 */
final class ApiDiscovery {

  /** A built-in resource kept in the CRUD store: plural, kind, namespaced, subresources. */
  private record Builtin(String plural, String kind, boolean namespaced, String... subresources) {}

  private static final List<String> VERBS = List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");

  private static final Map<String, List<Builtin>> BUILTINS = new LinkedHashMap<>();

  static {
    BUILTINS.put("v1", List.of(
        new Builtin("namespaces", "Namespace", false, "status"),
        new Builtin("nodes", "Node", false, "status"),
        new Builtin("pods", "Pod", true, "status", "log"),
        new Builtin("services", "Service", true, "status"),
        new Builtin("endpoints", "Endpoints", true),
        new Builtin("secrets", "Secret", true),
        new Builtin("configmaps", "ConfigMap", true),
        new Builtin("events", "Event", true),
        new Builtin("serviceaccounts", "ServiceAccount", true),
        new Builtin("persistentvolumeclaims", "PersistentVolumeClaim", true, "status")));
    BUILTINS.put("apiextensions.k8s.io/v1", List.of(new Builtin("customresourcedefinitions", "CustomResourceDefinition", false, "status")));
    BUILTINS.put("coordination.k8s.io/v1", List.of(new Builtin("leases", "Lease", true)));
    BUILTINS.put("apps/v1", List.of(new Builtin("statefulsets", "StatefulSet", true, "status"),
        new Builtin("deployments", "Deployment", true, "status")));
    BUILTINS.put("rbac.authorization.k8s.io/v1", List.of(new Builtin("roles", "Role", true),
        new Builtin("rolebindings", "RoleBinding", true), new Builtin("clusterroles", "ClusterRole", false),
        new Builtin("clusterrolebindings", "ClusterRoleBinding", false)));
  }

  private final ObjectMapper mapper;
  private final Supplier<List<JsonNode>> storedCrds;

  ApiDiscovery(ObjectMapper mapper, Supplier<List<JsonNode>> storedCrds) {
    this.mapper = mapper;
    this.storedCrds = storedCrds;
  }

  ObjectNode version() {
    return mapper.createObjectNode().put("major", "1").put("minor", "32").put("gitVersion", "v1.32.0-vshard-embedded")
        .put("platform", "linux/amd64");
  }

  ObjectNode coreVersions() {
    ObjectNode root = mapper.createObjectNode().put("kind", "APIVersions");
    root.putArray("versions").add("v1");
    root.putArray("serverAddressByClientCIDRs").addObject().put("clientCIDR", "0.0.0.0/0").put("serverAddress", "127.0.0.1");
    return root;
  }

  ObjectNode groupList() {
    ObjectNode root = mapper.createObjectNode().put("kind", "APIGroupList").put("apiVersion", "v1");
    ArrayNode groups = root.putArray("groups");
    Map<String, List<String>> versionsByGroup = new LinkedHashMap<>();
    BUILTINS.keySet().stream().filter(gv -> gv.contains("/"))
        .forEach(gv -> versionsByGroup.computeIfAbsent(gv.split("/")[0], g -> new java.util.ArrayList<>()).add(gv.split("/")[1]));
    for (JsonNode crd : storedCrds.get()) {
      List<String> versions = versionsByGroup.computeIfAbsent(crd.path("spec").path("group").asText(), g -> new java.util.ArrayList<>());
      for (JsonNode version : crd.path("spec").path("versions")) {
        if (version.path("served").asBoolean(true) && !versions.contains(version.path("name").asText())) {
          versions.add(version.path("name").asText());
        }
      }
    }
    versionsByGroup.forEach((group, versions) -> {
      ObjectNode node = groups.addObject().put("name", group);
      ArrayNode list = node.putArray("versions");
      versions.forEach(v -> list.addObject().put("groupVersion", group + "/" + v).put("version", v));
      node.set("preferredVersion", list.get(0).deepCopy());
    });
    return root;
  }

  /** The resource list of one group version, or empty when nothing is served there. */
  Optional<ObjectNode> resourceList(String groupVersion) {
    ObjectNode root = mapper.createObjectNode().put("kind", "APIResourceList").put("apiVersion", "v1")
        .put("groupVersion", groupVersion);
    ArrayNode resources = root.putArray("resources");
    for (Builtin builtin : BUILTINS.getOrDefault(groupVersion, List.of())) {
      addResource(resources, builtin.plural(), singular(builtin.kind()), builtin.kind(), builtin.namespaced(), null);
      for (String sub : builtin.subresources()) {
        addSubresource(resources, builtin.plural() + "/" + sub, builtin.kind(), builtin.namespaced());
      }
    }
    for (JsonNode crd : storedCrds.get()) {
      JsonNode spec = crd.path("spec");
      for (JsonNode version : spec.path("versions")) {
        if (!groupVersion.equals(spec.path("group").asText() + "/" + version.path("name").asText())) {
          continue;
        }
        JsonNode names = spec.path("names");
        boolean namespaced = "Namespaced".equals(spec.path("scope").asText());
        ObjectNode resource = addResource(resources, names.path("plural").asText(), names.path("singular").asText(),
            names.path("kind").asText(), namespaced, names.get("shortNames"));
        if (names.has("categories")) {
          resource.set("categories", names.get("categories"));
        }
        if (version.path("subresources").has("status")) {
          addSubresource(resources, names.path("plural").asText() + "/status", names.path("kind").asText(), namespaced);
        }
      }
    }
    return resources.isEmpty() ? Optional.empty() : Optional.of(root);
  }

  private static String singular(String kind) {
    return kind.toLowerCase(java.util.Locale.ROOT);
  }

  private ObjectNode addResource(ArrayNode resources, String plural, String singular, String kind, boolean namespaced, JsonNode shortNames) {
    ObjectNode resource = resources.addObject().put("name", plural).put("singularName", singular)
        .put("namespaced", namespaced).put("kind", kind);
    ArrayNode verbs = resource.putArray("verbs");
    VERBS.forEach(verbs::add);
    if (shortNames != null) {
      resource.set("shortNames", shortNames);
    }
    return resource;
  }

  private void addSubresource(ArrayNode resources, String name, String kind, boolean namespaced) {
    resources.addObject().put("name", name).put("singularName", "").put("namespaced", namespaced).put("kind", kind)
        .putArray("verbs").add("get").add("patch").add("update");
  }
}
