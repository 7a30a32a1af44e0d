{{/* Names and labels */}}
{{- define "pitlane.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}{{ .Release.Name | trunc 40 | trimSuffix "-" }}{{- else -}}{{ printf "%s-%s" .Release.Name .Chart.Name | trunc 40 | trimSuffix "-" }}{{- end -}}
{{- end -}}

{{/* <release>-<service>-<role> */}}
{{- define "pitlane.component" -}}
{{- printf "%s-%s-%s" (include "pitlane.fullname" .root) .service .role | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "pitlane.selectorLabels" -}}
app.kubernetes.io/name: pitlane
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .service }}
pitlane.io/role: {{ .role }}
{{- end -}}

{{- define "pitlane.labels" -}}
{{ include "pitlane.selectorLabels" . }}
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .root.Chart.Name .root.Chart.Version }}
{{- end -}}

{{/* A role's settings: defaults.<role> overridden by services.<name>.<role> */}}
{{- define "pitlane.roleValues" -}}
{{- $svc := index .root.Values.services .service -}}
{{- toYaml (mergeOverwrite (deepCopy (index .root.Values.defaults .role)) (deepCopy (default dict (index $svc .role)))) -}}
{{- end -}}

{{/* The roles a service runs: api always, worker unless disabled */}}
{{- define "pitlane.roles" -}}
{{- $svc := index .root.Values.services .service -}}
{{- $worker := default dict $svc.worker -}}
{{- if (hasKey $worker "enabled" | ternary $worker.enabled true) }}api,worker{{ else }}api{{ end -}}
{{- end -}}

{{- define "pitlane.secretRef" -}}
valueFrom:
  secretKeyRef:
    name: {{ default .root.Values.secrets.name .name }}
    key: {{ .key }}
{{- end -}}
