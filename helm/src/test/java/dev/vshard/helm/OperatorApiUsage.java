package dev.vshard.helm;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Kubernetes API access the operator's code needs, derived from its sources:
 * <ul>
 *   <li>its own fabric8 client calls: each statement's resource selector ({@code .pods()},
 *       {@code .resources(VShardMigration.class)}, {@code .resource(migration)}, ...) and the first
 *       operation after it ({@code .list()}, {@code .get()}, {@code .patchStatus()}, ...);</li>
 *   <li>what Java Operator SDK does on its behalf for the features the code turns on (read in JOSDK
 *       5.2.3's ReconciliationDispatcher and LeaderElectionManager): an informer per reconciler, the
 *       finalizer of a {@code Cleaner}, status patches, leader election on a Lease.</li>
 * </ul>
 * Each access keeps the places that need it, so a failing comparison says where to look.
 */
final class OperatorApiUsage {

  static final String GROUP = "vshard.dev";
  static final String MIGRATIONS = "vshardmigrations";

  private static final Pattern LINE_COMMENT = Pattern.compile("//[^\\n]*");
  private static final Pattern BLOCK_COMMENT = Pattern.compile("/\\*.*?\\*/", Pattern.DOTALL);

  /** Resource selectors of the fabric8 DSL; the group/resource they address. */
  private static final Map<Pattern, ApiAccess> SELECTORS = Map.of(
      Pattern.compile("\\.pods\\(\\)"), new ApiAccess("", "pods", ""),
      Pattern.compile("\\.secrets\\(\\)"), new ApiAccess("", "secrets", ""),
      Pattern.compile("\\.configMaps\\(\\)"), new ApiAccess("", "configmaps", ""),
      Pattern.compile("\\.v1\\(\\)\\s*\\.events\\(\\)"), new ApiAccess("", "events", ""),
      Pattern.compile("\\.events\\(\\)\\s*\\.v1\\(\\)\\s*\\.events\\(\\)"), new ApiAccess("events.k8s.io", "events", ""),
      Pattern.compile("\\.leases\\(\\)"), new ApiAccess("coordination.k8s.io", "leases", ""),
      Pattern.compile("\\.resources\\(\\s*VShardMigration\\.class\\s*\\)"), new ApiAccess(GROUP, MIGRATIONS, ""));

  /** Operations that end a fabric8 chain, and the verb (and subresource) each sends. */
  private static final List<Operation> OPERATIONS = List.of(
      new Operation("patchStatus", "/status", "patch"), new Operation("editStatus", "/status", "patch"),
      new Operation("updateStatus", "/status", "update"), new Operation("replaceStatus", "/status", "update"),
      new Operation("list", "", "list"), new Operation("get", "", "get"), new Operation("watch", "", "watch"),
      new Operation("inform", "", "list", "watch"), new Operation("informer", "", "list", "watch"),
      new Operation("runnableInformer", "", "list", "watch"), new Operation("create", "", "create"),
      new Operation("createOr", "", "create", "update"), new Operation("update", "", "update"),
      new Operation("replace", "", "update"), new Operation("patch", "", "patch"), new Operation("edit", "", "patch"),
      new Operation("serverSideApply", "", "patch"), new Operation("delete", "", "delete"));

  private static final Pattern OPERATION_CALL = Pattern.compile("\\.(\\w+)\\(");

  private final Map<ApiAccess, Set<String>> evidence = new TreeMap<>();

  private OperatorApiUsage() {
  }

  static OperatorApiUsage of(SourceTree operator) {
    OperatorApiUsage usage = new OperatorApiUsage();
    operator.files().forEach(usage::scanClientCalls);
    usage.addFrameworkAccess(operator);
    return usage;
  }

  /** Access and, for each, where in the code it comes from. */
  Map<ApiAccess, Set<String>> evidence() {
    return evidence;
  }

  Set<ApiAccess> accesses() {
    return new TreeSet<>(evidence.keySet());
  }

  private void scanClientCalls(Path file, String source) {
    String code = BLOCK_COMMENT.matcher(LINE_COMMENT.matcher(source).replaceAll("")).replaceAll("");
    Set<String> migrationVariables = variablesOfType(code, "VShardMigration");
    for (String statement : code.split(";")) {
      String where = file + ": " + statement.strip().replaceAll("\\s+", " ");
      SELECTORS.forEach((selector, target) -> {
        Matcher m = selector.matcher(statement);
        while (m.find()) {
          firstOperation(statement.substring(m.end()), target, where);
        }
      });
      Matcher resource = Pattern.compile("\\.resource\\(\\s*(\\w+)\\s*\\)").matcher(statement);
      while (resource.find()) {
        if (migrationVariables.contains(resource.group(1)) && !precededBySelector(statement.substring(0, resource.start()))) {
          firstOperation(statement.substring(resource.end()), new ApiAccess(GROUP, MIGRATIONS, ""), where);
        }
      }
    }
  }

  private static boolean precededBySelector(String before) {
    return SELECTORS.keySet().stream().anyMatch(p -> p.matcher(before).find());
  }

  private void firstOperation(String chainRest, ApiAccess target, String where) {
    Matcher call = OPERATION_CALL.matcher(chainRest);
    while (call.find()) {
      for (Operation op : OPERATIONS) {
        if (op.method().equals(call.group(1))) {
          for (String verb : op.verbs()) {
            add(new ApiAccess(target.group(), target.resource() + op.subresource(), verb), where);
          }
          return;
        }
      }
    }
  }

  private static Set<String> variablesOfType(String code, String type) {
    Set<String> names = new TreeSet<>();
    Matcher m = Pattern.compile("\\b" + type + "\\s+(\\w+)\\s*[,)=;]").matcher(code);
    while (m.find()) {
      names.add(m.group(1));
    }
    return names;
  }

  private void addFrameworkAccess(SourceTree operator) {
    operator.files().forEach((file, source) -> {
      if (source.matches("(?s).*implements[^{]*\\bReconciler<\\s*VShardMigration\\s*>.*")) {
        String why = file + ": Reconciler<VShardMigration> (JOSDK informer on the primary resource)";
        add(new ApiAccess(GROUP, MIGRATIONS, "list"), why);
        add(new ApiAccess(GROUP, MIGRATIONS, "watch"), why);
      }
      if (source.matches("(?s).*implements[^{]*\\bCleaner<\\s*VShardMigration\\s*>.*")) {
        String why = file + ": Cleaner<VShardMigration> (JOSDK adds/removes its finalizer with a JSON patch, "
            + "re-reading the resource on a conflict)";
        add(new ApiAccess(GROUP, MIGRATIONS, "patch"), why);
        add(new ApiAccess(GROUP, MIGRATIONS, "get"), why);
      }
      if (source.contains("UpdateControl.patchStatus(")) {
        add(new ApiAccess(GROUP, MIGRATIONS + "/status", "patch"), file + ": UpdateControl.patchStatus (JOSDK status patch)");
      }
      if (source.contains("new LeaderElectionConfiguration(")) {
        String why = file + ": LeaderElectionConfiguration (fabric8 LeaseLock gets, creates and renews the Lease "
            + "with a patch; JOSDK refuses to start unless a SelfSubjectRulesReview shows get, create and update)";
        for (String verb : List.of("get", "create", "update", "patch")) {
          add(new ApiAccess("coordination.k8s.io", "leases", verb), why);
        }
      }
      if (source.contains("withBlockOwnerDeletion(true)") || source.contains("setBlockOwnerDeletion(true)")) {
        add(new ApiAccess(GROUP, MIGRATIONS + "/finalizers", "update"),
            file + ": ownerReferences with blockOwnerDeletion need update on the owner's finalizers");
      }
    });
  }

  private void add(ApiAccess access, String where) {
    evidence.computeIfAbsent(access, a -> new TreeSet<>()).add(where.length() > 220 ? where.substring(0, 220) + "…" : where);
  }

  private record Operation(String method, String subresource, List<String> verbs) {
    Operation(String method, String subresource, String... verbs) {
      this(method, subresource, List.of(verbs));
    }
  }
}
