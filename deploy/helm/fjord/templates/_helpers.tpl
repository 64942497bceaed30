{{/* Names and labels, as charts created by `helm create`. */}}
{{- define "fjord.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "fjord.fullname" -}}
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

{{- define "fjord.selectorLabels" -}}
app.kubernetes.io/name: {{ include "fjord.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "fjord.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "fjord.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{- define "fjord.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "fjord.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "fjord.image" -}}
{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}
{{- end }}

{{/*
The components of the deployment mode, as a YAML list. Each has:
  name        resource name suffix (and app.kubernetes.io/component)
  target      Fjord's -target
  values      the values key holding replicas, resources, persistence, …
  kind        Deployment or StatefulSet (those keeping state under /var/fjord)
  zone        ingester.availability_zone, for zone-aware ingesters
  nodeSelector  the zone's node selector
*/}}
{{- define "fjord.components" -}}
{{- if eq .Values.deploymentMode "Distributed" }}
- { name: distributor, target: distributor, values: distributor, kind: Deployment }
{{- if .Values.ingester.zoneAwareReplication.enabled }}
{{- range .Values.ingester.zoneAwareReplication.zones }}
- name: ingester-{{ .name }}
  target: ingester
  values: ingester
  kind: StatefulSet
  zone: {{ .name | quote }}
  nodeSelector: {{ .nodeSelector | default dict | toJson }}
{{- end }}
{{- else }}
- { name: ingester, target: ingester, values: ingester, kind: StatefulSet }
{{- end }}
- { name: querier, target: querier, values: querier, kind: Deployment }
- { name: query-frontend, target: query-frontend, values: queryFrontend, kind: Deployment }
- { name: compactor, target: compactor, values: compactor, kind: StatefulSet }
{{- else if eq .Values.deploymentMode "SimpleScalable" }}
- { name: write, target: write, values: write, kind: StatefulSet }
- { name: read, target: read, values: read, kind: Deployment }
- { name: backend, target: backend, values: backend, kind: StatefulSet }
{{- else }}
{{- fail (printf "deploymentMode must be Distributed or SimpleScalable, not %q" .Values.deploymentMode) }}
{{- end }}
{{- end }}

{{/* Service names that route Loki's paths: pushes, queries, deletes. */}}
{{- define "fjord.pushService" -}}
{{ include "fjord.fullname" . }}-{{ ternary "distributor" "write" (eq .Values.deploymentMode "Distributed") }}
{{- end }}
{{- define "fjord.queryService" -}}
{{ include "fjord.fullname" . }}-{{ ternary "query-frontend" "read" (eq .Values.deploymentMode "Distributed") }}
{{- end }}
{{- define "fjord.deleteService" -}}
{{ include "fjord.fullname" . }}-{{ ternary "compactor" "backend" (eq .Values.deploymentMode "Distributed") }}
{{- end }}

{{/* Kafka brokers: the given ones, or the in-chart example broker. */}}
{{- define "fjord.kafkaAddress" -}}
{{- if .Values.examples.kafka.enabled }}
{{- list (printf "%s-kafka:9092" (include "fjord.fullname" .)) | toJson }}
{{- else if .Values.fjord.kafka.address }}
{{- .Values.fjord.kafka.address | toJson }}
{{- else }}
{{- fail "fjord.kafka.address is required (or set examples.kafka.enabled=true)" }}
{{- end }}
{{- end }}

{{/* The Secret holding S3 credentials, or empty when the SDK credential chain is used. */}}
{{- define "fjord.s3Secret" -}}
{{- if .Values.fjord.storage.s3.existingSecret }}
{{- .Values.fjord.storage.s3.existingSecret }}
{{- else if or .Values.fjord.storage.s3.accessKeyId .Values.examples.s3.enabled }}
{{- include "fjord.fullname" . }}-s3
{{- end }}
{{- end }}

{{/* The config every component reads (one ConfigMap); -target and the zone come from flags. */}}
{{- define "fjord.config" -}}
{{- $s3 := .Values.fjord.storage.s3 }}
{{- $cfg := dict
  "auth_enabled" .Values.fjord.authEnabled
  "server" (dict "http_listen_port" (int .Values.fjord.httpPort) "log_level" .Values.fjord.logLevel)
  "common" (dict
    "path_prefix" "/var/fjord"
    "instance_addr" "${POD_IP}"
    "storage" (dict "s3" (dict
      "endpoint" (ternary (printf "http://%s-s3:7070" (include "fjord.fullname" .)) $s3.endpoint .Values.examples.s3.enabled)
      "region" $s3.region
      "bucketnames" (ternary .Values.examples.s3.bucket $s3.bucketnames .Values.examples.s3.enabled)
      "s3forcepathstyle" (or $s3.s3forcepathstyle .Values.examples.s3.enabled)
      "insecure" $s3.insecure)))
  "kafka_config" (dict
    "address" (include "fjord.kafkaAddress" . | fromJsonArray)
    "topic" .Values.fjord.kafka.topic
    "consumer_group" .Values.fjord.kafka.consumerGroup
    "auto_create_topic_default_partitions" (int (ternary .Values.examples.kafka.partitions .Values.fjord.kafka.partitions .Values.examples.kafka.enabled)))
}}
{{- if not (index $cfg "common" "storage" "s3" "bucketnames") }}
{{- fail "fjord.storage.s3.bucketnames is required (or set examples.s3.enabled=true)" }}
{{- end }}
{{- if include "fjord.s3Secret" . }}
{{- $_ := set (index $cfg "common" "storage" "s3") "access_key_id" "${S3_ACCESS_KEY_ID}" }}
{{- $_ := set (index $cfg "common" "storage" "s3") "secret_access_key" "${S3_SECRET_ACCESS_KEY}" }}
{{- end }}
{{- if .Values.fjord.kafka.saslSecret }}
{{- $_ := set (index $cfg "kafka_config") "sasl_username" "${KAFKA_SASL_USERNAME}" }}
{{- $_ := set (index $cfg "kafka_config") "sasl_password" "${KAFKA_SASL_PASSWORD}" }}
{{- end }}
{{- if eq .Values.deploymentMode "Distributed" }}
{{- $_ := set $cfg "frontend_worker" (dict "frontend_address" (printf "%s-query-frontend.%s.svc:%d" (include "fjord.fullname" .) .Release.Namespace (int .Values.fjord.httpPort))) }}
{{- end }}
{{- with .Values.fjord.limits_config }}{{ $_ := set $cfg "limits_config" (deepCopy .) }}{{ end }}
{{- with .Values.fjord.compactor }}{{ $_ := set $cfg "compactor" (deepCopy .) }}{{ end }}
{{- with .Values.fjord.ingester }}{{ $_ := set $cfg "ingester" (deepCopy .) }}{{ end }}
{{- toYaml (mergeOverwrite $cfg (deepCopy .Values.fjord.structuredConfig)) }}
{{- end }}
