package dev.vshard.testsupport.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The fabric8 CRUD dispatcher plus what stock kubectl needs from an API server: discovery documents,
 * server-side Tables (printer columns), field selectors on any field (Events for {@code describe}),
 * and mutating requests whose query string ({@code ?fieldManager=...}) the CRUD store would
 * otherwise silently ignore.
 */
public class KubectlCompatibleDispatcher extends KubernetesCrudDispatcher {

  private static final String CRD_COLLECTION = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions";

  private final ObjectMapper mapper = new ObjectMapper();
  private final ApiDiscovery discovery = new ApiDiscovery(mapper, this::storedCrds);
  private final TableConverter tables = new TableConverter(mapper, Clock.systemUTC());

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    String path = request.getPath();
    int queryStart = path.indexOf('?');
    String pathOnly = queryStart < 0 ? path : path.substring(0, queryStart);
    Map<String, String> query = queryParameters(queryStart < 0 ? "" : path.substring(queryStart + 1));
    if (!"GET".equals(request.getMethod())) {
      return super.dispatch(withoutQuery(request, pathOnly));
    }
    Optional<MockResponse> discoveryAnswer = discoveryAnswer(pathOnly);
    if (discoveryAnswer.isPresent()) {
      return discoveryAnswer.get();
    }
    Optional<ResourcePath> resource = ResourcePath.parse(pathOnly);
    if (resource.isEmpty() || isWatch(query) || resource.get().subresource() != null) {
      return super.dispatch(request);
    }
    return read(request, pathOnly, query, resource.get());
  }

  private MockResponse read(RecordedRequest request, String pathOnly, Map<String, String> query, ResourcePath resource) {
    Map<String, String> forwarded = new LinkedHashMap<>(query);
    String fieldSelector = forwarded.remove("fieldSelector");
    MockResponse response = handleGet(pathOnly + queryString(forwarded));
    if (response.code() == 404 && !resource.isCollection()) {
      // the store answers an empty 404; kubectl prints the Status message, so give it the API server's
      String qualified = resource.group().isEmpty() ? resource.plural() : resource.plural() + "." + resource.group();
      return status(404, "NotFound", qualified + " \"" + resource.name() + "\" not found");
    }
    if (response.code() != 200) {
      return response;
    }
    JsonNode stored = parse(response.getBody().readUtf8());
    if (stored.has("items")) {
      ObjectNode list = (ObjectNode) stored;
      if (fieldSelector != null) {
        FieldSelector selector = FieldSelector.parse(fieldSelector);
        ArrayNode kept = mapper.createArrayNode();
        list.path("items").forEach(item -> {
          if (selector.matches(item)) {
            kept.add(item);
          }
        });
        list.set("items", kept);
      }
      typedListKind(resource).ifPresent(kind -> list.put("kind", kind));
    }
    String accept = Optional.ofNullable(request.getHeader("Accept")).orElse("");
    JsonNode body = accept.contains("as=Table") ? tables.toTable(stored, columnsFor(resource)) : stored;
    return json(200, body);
  }

  private Optional<MockResponse> discoveryAnswer(String path) {
    if (path.startsWith("/openapi/")) {
      return Optional.of(status(404, "NotFound", "this embedded API server serves no OpenAPI documents; use kubectl --validate=false"));
    }
    switch (path) {
      case "/version":
        return Optional.of(json(200, discovery.version()));
      case "/api":
        return Optional.of(json(200, discovery.coreVersions()));
      case "/apis":
        return Optional.of(json(200, discovery.groupList()));
      case "/api/v1":
        return Optional.of(json(200, discovery.resourceList("v1").orElseThrow()));
      default:
        break;
    }
    String[] parts = path.split("/");
    if (parts.length == 4 && "apis".equals(parts[1])) {
      String groupVersion = parts[2] + "/" + parts[3];
      return Optional.of(discovery.resourceList(groupVersion).map(list -> json(200, list))
          .orElseGet(() -> status(404, "NotFound", "the server could not find the requested resource " + groupVersion)));
    }
    return Optional.empty();
  }

  private List<PrinterColumn> columnsFor(ResourcePath resource) {
    if (resource.group().isEmpty() && "pods".equals(resource.plural())) {
      return PrinterColumn.forPods();
    }
    for (JsonNode crd : storedCrds()) {
      JsonNode spec = crd.path("spec");
      if (resource.group().equals(spec.path("group").asText()) && resource.plural().equals(spec.path("names").path("plural").asText())) {
        for (JsonNode version : spec.path("versions")) {
          if (resource.version().equals(version.path("name").asText())) {
            return PrinterColumn.forCrdVersion(version);
          }
        }
      }
    }
    return PrinterColumn.defaults();
  }

  /**
   * The store answers every collection as kind {@code List}; typed clients (kubectl describe reading
   * Events) only decode {@code <Kind>List}.
   */
  private Optional<String> typedListKind(ResourcePath resource) {
    String groupVersion = resource.group().isEmpty() ? resource.version() : resource.group() + "/" + resource.version();
    return discovery.resourceList(groupVersion).flatMap(list -> {
      for (JsonNode entry : list.path("resources")) {
        if (resource.plural().equals(entry.path("name").asText())) {
          return Optional.of(entry.path("kind").asText() + "List");
        }
      }
      return Optional.empty();
    });
  }

  private List<JsonNode> storedCrds() {
    MockResponse response = handleGet(CRD_COLLECTION);
    List<JsonNode> crds = new ArrayList<>();
    if (response.code() == 200) {
      parse(response.getBody().readUtf8()).path("items").forEach(crds::add);
    }
    return crds;
  }

  private static boolean isWatch(Map<String, String> query) {
    String watch = query.get("watch");
    return "true".equals(watch) || "1".equals(watch);
  }

  /** The CRUD store keys objects by path; a query string on a write makes it miss them silently. */
  private static RecordedRequest withoutQuery(RecordedRequest request, String pathOnly) {
    if (pathOnly.equals(request.getPath())) {
      return request;
    }
    return new RecordedRequest(request.getHttpVersion(), request.method(), pathOnly, request.getHeaders(), request.getBody());
  }

  private static Map<String, String> queryParameters(String query) {
    Map<String, String> parameters = new LinkedHashMap<>();
    for (String pair : query.split("&")) {
      if (!pair.isEmpty()) {
        int equals = pair.indexOf('=');
        parameters.put(equals < 0 ? pair : pair.substring(0, equals), equals < 0 ? "" : pair.substring(equals + 1));
      }
    }
    return parameters;
  }

  private static String queryString(Map<String, String> parameters) {
    if (parameters.isEmpty()) {
      return "";
    }
    return parameters.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining("&", "?", ""));
  }

  private JsonNode parse(String json) {
    try {
      return mapper.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException("the CRUD store returned JSON it cannot read back", e);
    }
  }

  private MockResponse json(int code, JsonNode body) {
    try {
      return new MockResponse().setResponseCode(code).setHeader("Content-Type", "application/json")
          .setBody(mapper.writeValueAsString(body));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private MockResponse status(int code, String reason, String message) {
    ObjectNode status = mapper.createObjectNode().put("kind", "Status").put("apiVersion", "v1").put("status", "Failure")
        .put("reason", reason).put("message", message).put("code", code);
    status.putObject("metadata");
    return json(code, status);
  }
}
