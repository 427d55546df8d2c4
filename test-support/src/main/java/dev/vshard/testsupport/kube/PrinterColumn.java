package dev.vshard.testsupport.kube;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** One column of a server-side Table, as a CRD's {@code additionalPrinterColumns} entry declares it. */
record PrinterColumn(String name, String type, String format, String description, int priority, String jsonPath) {

  static final PrinterColumn NAME = new PrinterColumn("Name", "string", "name", "Name of the resource", 0, ".metadata.name");
  static final PrinterColumn AGE = new PrinterColumn("Age", "date", "", "Time since creation", 0, ".metadata.creationTimestamp");

  /** Name plus the CRD version's printer columns; Age alone when it declares none (as the API server does). */
  static List<PrinterColumn> forCrdVersion(JsonNode version) {
    List<PrinterColumn> columns = new ArrayList<>();
    columns.add(NAME);
    JsonNode declared = version.path("additionalPrinterColumns");
    if (declared.isEmpty()) {
      columns.add(AGE);
    }
    for (JsonNode column : declared) {
      columns.add(new PrinterColumn(column.path("name").asText(), column.path("type").asText("string"),
          column.path("format").asText(""), column.path("description").asText(""), column.path("priority").asInt(0),
          column.path("jsonPath").asText()));
    }
    return columns;
  }

  /** Pods: what a person checks first (IP with {@code -o wide}). */
  static List<PrinterColumn> forPods() {
    return List.of(NAME,
        new PrinterColumn("Status", "string", "", "Pod phase", 0, ".status.phase"),
        new PrinterColumn("Restarts", "integer", "", "Restarts of the first container", 0, ".status.containerStatuses[0].restartCount"),
        AGE,
        new PrinterColumn("IP", "string", "", "Pod IP", 1, ".status.podIP"));
  }

  static List<PrinterColumn> defaults() {
    return List.of(NAME, AGE);
  }
}
