{{/*
The operator's API access, one place for the ClusterRole and the per-namespace Roles.
Exactly what the operator's code uses (helm/src/test/java/dev/vshard/helm/OperatorRbacTest derives
the list from operator/src/main/java and from a run of the operator, and compares):
- vshardmigrations: list+watch (JOSDK informer; metrics gauge; orphan-hold release), patch (JOSDK adds and
  removes the finalizer with a JSON patch), get (JOSDK re-reads on a conflicting patch), delete (TTL).
- vshardmigrations/status: patch (status is written with patches, never server-side apply).
- pods: list (node pods by label). events: create (one Event per phase change).
No vshardmigrations/finalizers: the operator sets no ownerReferences with blockOwnerDeletion.
*/}}
{{- define "vshard.operator.migrationRules" -}}
- apiGroups: ["vshard.dev"]
  resources: ["vshardmigrations"]
  verbs: ["get", "list", "watch", "patch", "delete"]
- apiGroups: ["vshard.dev"]
  resources: ["vshardmigrations/status"]
  verbs: ["patch"]
- apiGroups: [""]
  resources: ["pods"]
  verbs: ["list"]
- apiGroups: [""]
  resources: ["events"]
  verbs: ["create"]
{{- end }}

{{/*
Leader election (JOSDK LeaderElectionManager with fabric8's LeaseLock): create the Lease once, get
it, renew it with a patch; JOSDK also checks at start-up that get, create and update are granted.
Only the Lease named vshard-operator (create cannot be limited by name).
*/}}
{{- define "vshard.operator.leaseRules" -}}
- apiGroups: ["coordination.k8s.io"]
  resources: ["leases"]
  verbs: ["create"]
- apiGroups: ["coordination.k8s.io"]
  resources: ["leases"]
  resourceNames: ["vshard-operator"]
  verbs: ["get", "update", "patch"]
{{- end }}
