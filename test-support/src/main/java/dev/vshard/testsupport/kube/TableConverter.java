package dev.vshard.testsupport.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * Turns a stored object or list into the {@code meta.k8s.io/v1 Table} the API server sends when
 * kubectl asks with {@code Accept: application/json;as=Table;...}: without it kubectl shows only
 * NAME and AGE, never the CRD's printer columns.
 */
final class TableConverter {

  private final ObjectMapper mapper;
  private final Clock clock;

  TableConverter(ObjectMapper mapper, Clock clock) {
    this.mapper = mapper;
    this.clock = clock;
  }

  /** @param objectOrList one object, or a list with {@code items} */
  ObjectNode toTable(JsonNode objectOrList, List<PrinterColumn> columns) {
    ObjectNode table = mapper.createObjectNode().put("kind", "Table").put("apiVersion", "meta.k8s.io/v1");
    ObjectNode metadata = table.putObject("metadata");
    JsonNode sourceMetadata = objectOrList.path("metadata");
    metadata.put("resourceVersion", sourceMetadata.path("resourceVersion").asText(""));
    ArrayNode definitions = table.putArray("columnDefinitions");
    for (PrinterColumn column : columns) {
      definitions.addObject().put("name", column.name()).put("type", column.type()).put("format", column.format())
          .put("description", column.description()).put("priority", column.priority());
    }
    ArrayNode rows = table.putArray("rows");
    if (objectOrList.has("items")) {
      objectOrList.path("items").forEach(item -> rows.add(row(item, columns)));
    } else {
      rows.add(row(objectOrList, columns));
    }
    return table;
  }

  private ObjectNode row(JsonNode object, List<PrinterColumn> columns) {
    ObjectNode row = mapper.createObjectNode();
    ArrayNode cells = row.putArray("cells");
    for (PrinterColumn column : columns) {
      cells.add(cell(SimpleJsonPath.read(object, column.jsonPath()), column.type()));
    }
    ObjectNode partial = row.putObject("object").put("kind", "PartialObjectMetadata").put("apiVersion", "meta.k8s.io/v1");
    partial.set("metadata", object.path("metadata").deepCopy());
    return row;
  }

  private JsonNode cell(JsonNode value, String type) {
    if (value.isMissingNode() || value.isNull()) {
      return mapper.nullNode();
    }
    if ("date".equals(type)) {
      try {
        return mapper.getNodeFactory().textNode(HumanDuration.format(Duration.between(Instant.parse(value.asText()), clock.instant())));
      } catch (DateTimeParseException notATimestamp) {
        return value;
      }
    }
    return value.isContainerNode() ? mapper.getNodeFactory().textNode(value.toString()) : value;
  }
}
