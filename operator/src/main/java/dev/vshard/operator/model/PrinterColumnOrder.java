package dev.vshard.operator.model;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Build step after the fabric8 crd-generator (process-classes): puts the CRD's {@code additionalPrinterColumns}
 * in the order they are declared on {@link VShardMigration}, which is the order {@code kubectl get} shows.
 * The generator sorts them by JSON path instead (fabric8io/kubernetes-client#7454). Only the column items
 * move; every other byte of the generated file stays as the generator wrote it.
 */
public final class PrinterColumnOrder {
  private PrinterColumnOrder() {
  }

  public static void main(String[] args) throws IOException {
    Path crd = Path.of(args[0]);
    List<String> declared = Arrays.stream(VShardMigration.class.getAnnotationsByType(AdditionalPrinterColumn.class))
        .map(AdditionalPrinterColumn::name).toList();
    Files.write(crd, reorder(Files.readAllLines(crd), declared));
  }

  /** The lines with each version's printer column items in {@code declared} order. */
  public static List<String> reorder(List<String> lines, List<String> declared) {
    List<String> out = new ArrayList<>();
    int i = 0;
    while (i < lines.size()) {
      String line = lines.get(i++);
      out.add(line);
      if (!line.trim().equals("- additionalPrinterColumns:") && !line.trim().equals("additionalPrinterColumns:")) {
        continue;
      }
      String itemIndent = lines.get(i).substring(0, lines.get(i).indexOf('-'));
      List<List<String>> items = new ArrayList<>();
      while (i < lines.size() && (lines.get(i).startsWith(itemIndent + "-") || lines.get(i).startsWith(itemIndent + " "))) {
        if (lines.get(i).startsWith(itemIndent + "-")) {
          items.add(new ArrayList<>());
        }
        items.get(items.size() - 1).add(lines.get(i++));
      }
      Map<String, List<String>> byName = new LinkedHashMap<>();
      items.forEach(item -> byName.put(nameOf(item), item));
      if (!byName.keySet().equals(Set.copyOf(declared)) || byName.size() != declared.size()) {
        throw new IllegalStateException("generated printer columns " + byName.keySet() + " are not the declared " + declared);
      }
      declared.forEach(name -> out.addAll(byName.get(name)));
    }
    return out;
  }

  private static String nameOf(List<String> item) {
    return item.stream().map(String::trim).map(l -> l.startsWith("- ") ? l.substring(2) : l)
        .filter(l -> l.startsWith("name: ")).findFirst()
        .orElseThrow(() -> new IllegalStateException("printer column without a name: " + item))
        .substring("name: ".length()).replace("\"", "");
  }
}
