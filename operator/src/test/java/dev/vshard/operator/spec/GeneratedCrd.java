package dev.vshard.operator.spec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** The CRD the crd-generator wrote into target/classes during this build. */
final class GeneratedCrd {

  static final String RESOURCE = "/META-INF/fabric8/vshardmigrations.vshard.dev-v1.yml";

  private GeneratedCrd() { }

  static JsonNode load() {
    try (InputStream in = GeneratedCrd.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing: the crd-generator-maven-plugin runs in process-classes");
      }
      return new ObjectMapper(new YAMLFactory()).readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonNode specSchema() {
    return load().at("/spec/versions/0/schema/openAPIV3Schema/properties/spec");
  }
}
