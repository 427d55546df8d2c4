package dev.vshard.local.manifest;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.vshard.operator.model.VShardMigration;
import dev.vshard.operator.model.VShardMigrationSpec;
import dev.vshard.operator.spec.MigrationSpecValidator;
import dev.vshard.operator.spec.SpecViolation;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Reads a VShardMigration manifest and checks it the way the API server would with the CRD (the
 * embedded one does not): YAML syntax, apiVersion/kind, name, unknown or mistyped spec fields, and the
 * CRD's rules through the operator's own {@link MigrationSpecValidator}. Every error names the file,
 * the line and the field.
 */
public final class ManifestLoader {

  static final String API_VERSION = "vshard.dev/v1alpha1";
  static final String KIND = "VShardMigration";
  private static final String NAME_PATTERN = "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*";

  private final ObjectMapper yaml = new ObjectMapper(new YAMLFactory())
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  private final MigrationSpecValidator validator = new MigrationSpecValidator();

  public Manifest load(Path file) throws ManifestException {
    String text = read(file);
    JsonNode document = singleDocument(file, text);
    FieldLines lines = new FieldLines(text);
    List<ManifestException.Problem> problems = new ArrayList<>();
    expect(problems, lines, document, "apiVersion", API_VERSION);
    expect(problems, lines, document, "kind", KIND);
    String name = document.path("metadata").path("name").asText("");
    if (!name.matches(NAME_PATTERN) || name.length() > 253) {
      problems.add(new ManifestException.Problem(lines.lineOf("metadata.name"), "metadata.name "
          + (name.isEmpty() ? "is missing" : "is '" + name + "'") + "; allowed: lower-case letters, digits, '-' and '.', at most 253 characters"));
    }
    if (!document.path("spec").isObject()) {
      problems.add(new ManifestException.Problem(lines.lineOf("spec"), "spec is missing; a VShardMigration needs cluster, vshard, sourceNode and targetNode"));
    }
    if (!problems.isEmpty()) {
      throw new ManifestException(file, problems);
    }
    VShardMigrationSpec spec = spec(file, document.get("spec"), lines);
    for (SpecViolation violation : validator.validate(spec)) {
      problems.add(new ManifestException.Problem(lines.lineOf(violation.field()), violation.message()));
    }
    if (!problems.isEmpty()) {
      throw new ManifestException(file, problems);
    }
    VShardMigration migration = new VShardMigration();
    migration.setMetadata(new ObjectMetaBuilder().withName(name)
        .withNamespace(document.path("metadata").path("namespace").asText(null))
        .withLabels(stringMap(document.path("metadata").path("labels")))
        .withAnnotations(stringMap(document.path("metadata").path("annotations"))).build());
    migration.setSpec(spec);
    return new Manifest(file, migration, validator.effective(spec), text);
  }

  private String read(Path file) throws ManifestException {
    try {
      return Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new ManifestException(file, 0, "no such file; give a manifest with --file (examples/ has some)");
    } catch (IOException e) {
      throw new ManifestException(file, 0, "cannot read: " + e.getMessage());
    }
  }

  private JsonNode singleDocument(Path file, String text) throws ManifestException {
    List<JsonNode> documents = new ArrayList<>();
    try (JsonParser parser = yaml.getFactory().createParser(text)) {
      var values = yaml.readValues(parser, JsonNode.class);
      while (values.hasNextValue()) {
        JsonNode document = values.nextValue();
        if (document != null && !document.isNull() && !document.isMissingNode()) {
          documents.add(document);
        }
      }
    } catch (JsonProcessingException e) {
      throw new ManifestException(file, line(e.getLocation()), "not valid YAML: " + firstLine(e.getOriginalMessage()));
    } catch (IOException e) {
      throw new ManifestException(file, 0, "cannot parse: " + e.getMessage());
    }
    if (documents.size() != 1 || !documents.get(0).isObject()) {
      throw new ManifestException(file, 0, "expected exactly one YAML document holding one VShardMigration, found "
          + documents.size() + " document(s)");
    }
    return documents.get(0);
  }

  private VShardMigrationSpec spec(Path file, JsonNode spec, FieldLines lines) throws ManifestException {
    try {
      return yaml.treeToValue(spec, VShardMigrationSpec.class);
    } catch (UnrecognizedPropertyException e) {
      String field = "spec." + e.getPropertyName();
      throw new ManifestException(file, lines.lineOf(field), field + " is not a field of a VShardMigration spec; known fields: "
          + e.getKnownPropertyIds().stream().map(Object::toString).sorted().collect(Collectors.joining(", ")));
    } catch (JsonMappingException e) {
      String field = "spec." + e.getPath().stream().map(ref -> ref.getFieldName() != null ? ref.getFieldName() : String.valueOf(ref.getIndex()))
          .collect(Collectors.joining("."));
      throw new ManifestException(file, lines.lineOf(field), field + " has the wrong type: " + firstLine(e.getOriginalMessage()));
    } catch (JsonProcessingException e) {
      throw new ManifestException(file, lines.lineOf("spec"), "spec cannot be read: " + firstLine(e.getOriginalMessage()));
    }
  }

  private static void expect(List<ManifestException.Problem> problems, FieldLines lines, JsonNode document, String field, String expected) {
    String actual = document.path(field).asText("");
    if (!expected.equals(actual)) {
      problems.add(new ManifestException.Problem(lines.lineOf(field), field + " " + (actual.isEmpty() ? "is missing" : "is '" + actual + "'")
          + "; expected '" + expected + "'"));
    }
  }

  private static Map<String, String> stringMap(JsonNode node) {
    Map<String, String> map = new java.util.LinkedHashMap<>();
    node.fields().forEachRemaining(entry -> map.put(entry.getKey(), entry.getValue().asText()));
    return map.isEmpty() ? null : map;
  }

  private static int line(JsonLocation location) {
    return location == null ? 0 : location.getLineNr();
  }

  private static String firstLine(String message) {
    return message == null ? "" : message.lines().findFirst().orElse("").trim();
  }
}
