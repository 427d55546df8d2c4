package dev.vshard.testsupport.kube;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The resource an API path addresses: {@code /api/v1/namespaces/ns/pods/x} or
 * {@code /apis/group/version/[namespaces/ns/]plural[/name[/subresource]]}. Query string excluded.
 */
record ResourcePath(String group, String version, String namespace, String plural, String name, String subresource) {

  private static final Pattern CORE =
      Pattern.compile("^/api/(?<v>[^/]+)(?:/namespaces/(?<ns>[^/]+))?/(?<plural>[^/]+)(?:/(?<name>[^/]+))?(?:/(?<sub>[^/]+))?$");
  private static final Pattern GROUPED =
      Pattern.compile("^/apis/(?<g>[^/]+)/(?<v>[^/]+)(?:/namespaces/(?<ns>[^/]+))?/(?<plural>[^/]+)(?:/(?<name>[^/]+))?(?:/(?<sub>[^/]+))?$");

  static Optional<ResourcePath> parse(String pathWithoutQuery) {
    Matcher core = CORE.matcher(pathWithoutQuery);
    if (core.matches()) {
      return Optional.of(from("", core));
    }
    Matcher grouped = GROUPED.matcher(pathWithoutQuery);
    if (grouped.matches()) {
      return Optional.of(from(grouped.group("g"), grouped));
    }
    return Optional.empty();
  }

  private static ResourcePath from(String group, Matcher m) {
    // "/api/v1/namespaces/x" names the namespace object itself, not a collection inside it
    if (m.group("ns") != null && m.group("plural") != null && m.group("name") == null && "namespaces".equals(m.group("plural"))) {
      return new ResourcePath(group, m.group("v"), null, "namespaces", m.group("ns"), null);
    }
    return new ResourcePath(group, m.group("v"), m.group("ns"), m.group("plural"), m.group("name"), m.group("sub"));
  }

  boolean isCollection() {
    return name == null;
  }
}
