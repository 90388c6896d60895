{{- define "partyorg.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 40 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 40 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{/* the name of a component's objects: partyorg-members; called with (list $ "members") */}}
{{- define "partyorg.component" -}}
{{- printf "%s-%s" (include "partyorg.fullname" (index . 0)) (index . 1) -}}
{{- end -}}

{{- define "partyorg.selector" -}}
app.kubernetes.io/name: {{ (index . 0).Chart.Name }}
app.kubernetes.io/instance: {{ (index . 0).Release.Name }}
app.kubernetes.io/component: {{ index . 1 }}
{{- end -}}

{{- define "partyorg.labels" -}}
{{ include "partyorg.selector" . }}
app.kubernetes.io/version: {{ (index . 0).Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ (index . 0).Release.Service }}
helm.sh/chart: {{ printf "%s-%s" (index . 0).Chart.Name (index . 0).Chart.Version }}
{{- end -}}

{{/* an image by its version: a tag like 0.1.0, never latest (values.schema.json) */}}
{{- define "partyorg.image" -}}
{{- printf "%s/%s:%s" (index . 0).Values.imageRegistry (index . 1).name (index . 1).tag -}}
{{- end -}}

{{/* the pod: not root (the images' user nobody), no service-account token, secrets readable by its group */}}
{{- define "partyorg.pod" -}}
automountServiceAccountToken: false
securityContext:
  runAsNonRoot: true
  runAsUser: 65534
  runAsGroup: 65534
  fsGroup: 65534
  seccompProfile:
    type: RuntimeDefault
{{- with .Values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end -}}

{{/* each container: read-only root file system, no privilege gained, no capability */}}
{{- define "partyorg.containerSecurity" -}}
securityContext:
  allowPrivilegeEscalation: false
  readOnlyRootFilesystem: true
  runAsNonRoot: true
  capabilities:
    drop: [ALL]
{{- end -}}

{{/* replicas spread over nodes, so that a node lost takes one of them (the budget keeps the rest) */}}
{{- define "partyorg.spread" -}}
topologySpreadConstraints:
  - maxSkew: 1
    topologyKey: kubernetes.io/hostname
    whenUnsatisfiable: ScheduleAnyway
    labelSelector:
      matchLabels:
        {{- include "partyorg.selector" . | nindent 8 }}
{{- end -}}

{{/* a service's settings besides its secrets (its ConfigMap; the upgrade Job's environment) */}}
{{- define "partyorg.serviceConfig" -}}
{{- $ := index . 0 -}}
{{- $service := index . 1 -}}
{{- toYaml (dict
  "HOST" "0.0.0.0"
  "PORT" (toString $service.port)
  "ENVIRONMENT" $.Values.environment
  "EVENT_EXCHANGE" $.Values.eventExchange
  "DECLARE_EXCHANGES" (toString $.Values.declareExchanges)
  "OTEL_EXPORTER_OTLP_ENDPOINT" $.Values.otelExporterOtlpEndpoint
) -}}
{{- end -}}

{{/* a service pod's volumes: its secrets as files (its own and the shared keys), a small /tmp */}}
{{- define "partyorg.serviceVolumes" -}}
{{- $ := index . 0 -}}
{{- $service := index . 1 -}}
- name: secrets
  projected:
    defaultMode: 0440
    sources:
      - secret:
          name: {{ $service.existingSecret }}
          items:
            - { key: MONGODB_URL, path: MONGODB_URL }
            - { key: AMQP_URL, path: AMQP_URL }
      - secret:
          name: {{ $.Values.sharedSecret }}
          items:
            {{- range $service.sharedSecretKeys }}
            - { key: {{ . }}, path: {{ . }} }
            {{- end }}
- name: tmp
  emptyDir: { medium: Memory, sizeLimit: 64Mi }
{{- end -}}
