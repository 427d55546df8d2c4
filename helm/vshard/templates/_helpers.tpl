{{/*
Names and labels shared by the templates. The node labels are part of the contract
(docs/contract.md): the operator finds node pods by exactly
app.kubernetes.io/name=vshard-node and app.kubernetes.io/instance=<cluster>.
*/}}

{{/* Labels every object of the release carries besides its selector labels. */}}
{{- define "vshard.commonLabels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: vshard
{{- end }}

{{/* ---------- operator ---------- */}}

{{- define "vshard.operator.fullname" -}}
{{- printf "%s-operator" .Release.Name | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "vshard.operator.selectorLabels" -}}
app.kubernetes.io/name: vshard-operator
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "vshard.operator.labels" -}}
{{ include "vshard.operator.selectorLabels" . }}
{{ include "vshard.commonLabels" . }}
{{- end }}

{{- define "vshard.operator.serviceAccountName" -}}
{{- default (include "vshard.operator.fullname" .) .Values.operator.serviceAccount.name }}
{{- end }}

{{- define "vshard.operator.image" -}}
{{- printf "%s:%s" .Values.operator.image.repository (default .Chart.AppVersion .Values.operator.image.tag) }}
{{- end }}

{{/* ---------- node cluster ---------- */}}

{{/* The node cluster's name: VSHARD_CLUSTER_ID and the `cluster` of a VShardMigration. */}}
{{- define "vshard.cluster" -}}
{{- $name := default .Release.Name .Values.nodes.clusterName }}
{{- if not (regexMatch "^[a-z]([-a-z0-9]{0,38}[a-z0-9])?$" $name) }}
{{- fail (printf "nodes.clusterName: %q is not a valid node cluster name; use a DNS label of at most 40 characters (lower-case letters, digits, '-'), or set nodes.clusterName when the release name does not qualify" $name) }}
{{- end }}
{{- $name }}
{{- end }}

{{/* StatefulSet name; pods are <cluster>-node-<ordinal>, the node ids. */}}
{{- define "vshard.nodes.fullname" -}}
{{- printf "%s-node" (include "vshard.cluster" .) }}
{{- end }}

{{- define "vshard.nodes.headlessService" -}}
{{- printf "%s-node-headless" (include "vshard.cluster" .) }}
{{- end }}

{{- define "vshard.nodes.adminTokenSecret" -}}
{{- printf "%s-admin-token" (include "vshard.cluster" .) }}
{{- end }}

{{- define "vshard.nodes.selectorLabels" -}}
app.kubernetes.io/name: vshard-node
app.kubernetes.io/instance: {{ include "vshard.cluster" . }}
{{- end }}

{{- define "vshard.nodes.labels" -}}
{{ include "vshard.nodes.selectorLabels" . }}
{{ include "vshard.commonLabels" . }}
{{- end }}

{{- define "vshard.nodes.image" -}}
{{- printf "%s:%s" .Values.nodes.image.repository (default .Chart.AppVersion .Values.nodes.image.tag) }}
{{- end }}

{{/* Number of nodes that bootstrap the cluster. */}}
{{- define "vshard.nodes.initialMemberCount" -}}
{{- if gt (int .Values.nodes.initialMembers) 0 }}{{ int .Values.nodes.initialMembers }}{{ else }}{{ int .Values.nodes.replicas }}{{ end }}
{{- end }}

{{/*
VSHARD_INITIAL_MEMBERS: "<id>@<stable DNS name>" for ordinals 0..n-1, e.g.
demo-node-0@demo-node-0.demo-node-headless.ns.svc.cluster.local,...
*/}}
{{- define "vshard.nodes.initialMembers" -}}
{{- $sts := include "vshard.nodes.fullname" . }}
{{- $domain := printf "%s.%s.svc.%s" (include "vshard.nodes.headlessService" .) .Release.Namespace .Values.clusterDomain }}
{{- $members := list }}
{{- range $i := until (int (include "vshard.nodes.initialMemberCount" .)) }}
{{- $id := printf "%s-%d" $sts $i }}
{{- $members = append $members (printf "%s@%s.%s" $id $id $domain) }}
{{- end }}
{{- join "," $members }}
{{- end }}

{{/* Namespace and ServiceAccount of the operator that drives this node cluster. */}}
{{- define "vshard.nodes.operatorNamespace" -}}
{{- default .Release.Namespace .Values.nodes.operatorAccess.namespace }}
{{- end }}

{{- define "vshard.nodes.operatorServiceAccount" -}}
{{- if .Values.nodes.operatorAccess.serviceAccountName }}
{{- .Values.nodes.operatorAccess.serviceAccountName }}
{{- else if .Values.operator.enabled }}
{{- include "vshard.operator.serviceAccountName" . }}
{{- else }}
{{- fail "nodes.operatorAccess.serviceAccountName: required when operator.enabled=false; name the ServiceAccount of the operator that drives this node cluster (and nodes.operatorAccess.namespace, its namespace)" }}
{{- end }}
{{- end }}

{{/* Hardened container securityContext shared by every container of the chart. */}}
{{- define "vshard.containerSecurityContext" -}}
runAsNonRoot: true
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
capabilities:
  drop: ["ALL"]
seccompProfile:
  type: RuntimeDefault
{{- end }}

{{/* Pod securityContext: the numeric non-root user the Dockerfiles create (10001). */}}
{{- define "vshard.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: 10001
runAsGroup: 10001
fsGroup: 10001
fsGroupChangePolicy: OnRootMismatch
seccompProfile:
  type: RuntimeDefault
{{- end }}
