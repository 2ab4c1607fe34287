{{/* Chart name. */}}
{{- define "flipt.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Release-qualified name, at most 63 characters. */}}
{{- define "flipt.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/* Labels common to every object. */}}
{{- define "flipt.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
app.kubernetes.io/name: {{ include "flipt.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/* Selector labels of one tier: include "flipt.selectorLabels" (list . "write"). */}}
{{- define "flipt.selectorLabels" -}}
{{- $root := index . 0 -}}
app.kubernetes.io/name: {{ include "flipt.name" $root }}
app.kubernetes.io/instance: {{ $root.Release.Name }}
app.kubernetes.io/component: {{ index . 1 }}
{{- end }}

{{- define "flipt.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}

{{- define "flipt.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "flipt.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* Secret holding the database URLs. */}}
{{- define "flipt.dbSecretName" -}}
{{- if .Values.database.existingSecret }}
{{- .Values.database.existingSecret }}
{{- else }}
{{- printf "%s-db" (include "flipt.fullname" .) }}
{{- end }}
{{- end }}

{{/* Secret holding the Redis password, empty when there is none. */}}
{{- define "flipt.redisSecretName" -}}
{{- if .Values.redis.existingSecret }}
{{- .Values.redis.existingSecret }}
{{- else if .Values.redis.password }}
{{- printf "%s-redis" (include "flipt.fullname" .) }}
{{- end }}
{{- end }}

{{/* Redis settings (cache.redis.*) shared by both tiers. */}}
{{- define "flipt.redisEnv" -}}
- name: FLIPT_CACHE_REDIS_HOST
  value: {{ required "redis.host is required: the split tiers share a Redis cache" .Values.redis.host | quote }}
- name: FLIPT_CACHE_REDIS_PORT
  value: {{ .Values.redis.port | quote }}
- name: FLIPT_CACHE_REDIS_DB
  value: {{ .Values.redis.db | quote }}
{{- with .Values.redis.username }}
- name: FLIPT_CACHE_REDIS_USERNAME
  value: {{ . | quote }}
{{- end }}
{{- with include "flipt.redisSecretName" . }}
- name: FLIPT_CACHE_REDIS_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ . }}
      key: {{ $.Values.redis.passwordKey }}
{{- end }}
- name: FLIPT_CACHE_REDIS_REQUIRE_TLS
  value: {{ .Values.redis.requireTLS | quote }}
{{- end }}

{{/* Container security context, pod-level settings and the volumes a read-only root needs. */}}
{{- define "flipt.podSpecCommon" -}}
serviceAccountName: {{ include "flipt.serviceAccountName" . }}
terminationGracePeriodSeconds: {{ .Values.terminationGracePeriodSeconds }}
{{- with .Values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
securityContext:
  {{- toYaml .Values.podSecurityContext | nindent 2 }}
volumes:
  - name: tmp
    emptyDir: {}
  - name: data
    emptyDir: {}
{{- end }}

{{/* Container settings shared by both tiers: probes (liveness /health, readiness /health/ready on the
   named HTTP port), pre-stop delay, security context, writable mounts. */}}
{{- define "flipt.containerCommon" -}}
livenessProbe:
  httpGet:
    path: /health
    port: http
  initialDelaySeconds: {{ .Values.probes.liveness.initialDelaySeconds }}
  periodSeconds: {{ .Values.probes.liveness.periodSeconds }}
  timeoutSeconds: {{ .Values.probes.liveness.timeoutSeconds }}
  failureThreshold: {{ .Values.probes.liveness.failureThreshold }}
readinessProbe:
  httpGet:
    path: /health/ready
    port: http
  initialDelaySeconds: {{ .Values.probes.readiness.initialDelaySeconds }}
  periodSeconds: {{ .Values.probes.readiness.periodSeconds }}
  timeoutSeconds: {{ .Values.probes.readiness.timeoutSeconds }}
  failureThreshold: {{ .Values.probes.readiness.failureThreshold }}
lifecycle:
  preStop:
    exec:
      command: ["sleep", {{ .Values.preStopSleepSeconds | quote }}]
securityContext:
  {{- toYaml .Values.securityContext | nindent 2 }}
volumeMounts:
  - name: tmp
    mountPath: /tmp
  - name: data
    mountPath: /var/opt/flipt
{{- end }}
