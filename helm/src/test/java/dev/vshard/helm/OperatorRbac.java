package dev.vshard.helm;

import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleRef;
import io.fabric8.kubernetes.api.model.rbac.Subject;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The RBAC rules a rendered chart grants one ServiceAccount, with Kubernetes' evaluation: a
 * ClusterRoleBinding grants everywhere, a RoleBinding in its own namespace only.
 */
final class OperatorRbac {

  /** One granted rule and where it applies ({@code null} namespace = every namespace). */
  record Grant(String namespace, PolicyRule rule) {
  }

  private final List<Grant> grants;

  private OperatorRbac(List<Grant> grants) {
    this.grants = List.copyOf(grants);
  }

  static OperatorRbac of(Rendered rendered, String serviceAccount, String serviceAccountNamespace) {
    List<Grant> grants = new ArrayList<>();
    for (ClusterRoleBinding binding : rendered.ofType(ClusterRoleBinding.class)) {
      if (binds(binding.getSubjects(), serviceAccount, serviceAccountNamespace)) {
        clusterRole(rendered, binding.getRoleRef()).getRules().forEach(r -> grants.add(new Grant(null, r)));
      }
    }
    for (RoleBinding binding : rendered.ofType(RoleBinding.class)) {
      if (binds(binding.getSubjects(), serviceAccount, serviceAccountNamespace)) {
        String ns = binding.getMetadata().getNamespace();
        role(rendered, binding.getRoleRef(), ns).forEach(r -> grants.add(new Grant(ns, r)));
      }
    }
    return new OperatorRbac(grants);
  }

  List<Grant> grants() {
    return grants;
  }

  /** Every (group, resource, verb) granted anywhere, ignoring namespaces and resource names. */
  Set<ApiAccess> accesses() {
    Set<ApiAccess> all = new TreeSet<>();
    for (Grant grant : grants) {
      for (String group : grant.rule().getApiGroups()) {
        for (String resource : grant.rule().getResources()) {
          for (String verb : grant.rule().getVerbs()) {
            all.add(new ApiAccess(group, resource, verb));
          }
        }
      }
    }
    return all;
  }

  /** The rules that apply in one namespace, as a SelfSubjectRulesReview reports them. */
  List<io.fabric8.kubernetes.api.model.authorization.v1.ResourceRule> resourceRulesIn(String namespace) {
    return grants.stream().filter(g -> g.namespace() == null || g.namespace().equals(namespace))
        .map(g -> new io.fabric8.kubernetes.api.model.authorization.v1.ResourceRuleBuilder()
            .withApiGroups(g.rule().getApiGroups()).withResources(g.rule().getResources())
            .withVerbs(g.rule().getVerbs()).withResourceNames(g.rule().getResourceNames()).build())
        .toList();
  }

  /** Whether a request is allowed; {@code name} is null for collection requests (list, watch, create). */
  boolean allows(String namespace, ApiAccess access, String name) {
    return grants.stream().anyMatch(g -> (g.namespace() == null || g.namespace().equals(namespace))
        && g.rule().getApiGroups().contains(access.group())
        && g.rule().getResources().contains(access.resource())
        && g.rule().getVerbs().contains(access.verb())
        && (g.rule().getResourceNames() == null || g.rule().getResourceNames().isEmpty()
            || (name != null && g.rule().getResourceNames().contains(name))));
  }

  private static boolean binds(List<Subject> subjects, String serviceAccount, String namespace) {
    return subjects != null && subjects.stream().anyMatch(s -> "ServiceAccount".equals(s.getKind())
        && serviceAccount.equals(s.getName()) && namespace.equals(s.getNamespace()));
  }

  private static ClusterRole clusterRole(Rendered rendered, RoleRef ref) {
    if (!"ClusterRole".equals(ref.getKind())) {
      throw new AssertionError("a ClusterRoleBinding must refer to a ClusterRole: " + ref);
    }
    return rendered.one(ClusterRole.class, ref.getName());
  }

  private static List<PolicyRule> role(Rendered rendered, RoleRef ref, String namespace) {
    if ("ClusterRole".equals(ref.getKind())) {
      return rendered.one(ClusterRole.class, ref.getName()).getRules();
    }
    List<Role> roles = rendered.ofType(Role.class).stream()
        .filter(r -> r.getMetadata().getName().equals(ref.getName()) && namespace.equals(r.getMetadata().getNamespace()))
        .toList();
    if (roles.size() != 1) {
      throw new AssertionError("RoleBinding in " + namespace + " refers to missing Role " + ref.getName());
    }
    return roles.get(0).getRules();
  }
}
