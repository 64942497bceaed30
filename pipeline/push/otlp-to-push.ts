/**
 * An OTLP logs export turned into a PushRequest with Loki's rules (`pkg/loghttp/push/otlp.go`
 * otlpToLokiPushRequest, `otlplabels` ResourceAttrsToStreamLabels / ScopeAttrsToStructuredMetadata /
 * LogAttrsToLabels, `otlp_config`): promoted resource attributes (and log attributes configured as
 * `index_label`) form the stream labels; every other attribute, the scope name and version, and
 * the record's severity, trace and span ids, flags, event name and observed time become structured
 * metadata; the body becomes the line. Pure: the time used for records with no timestamp at all is
 * an argument.
 */
import { DISCOVER_SERVICE_NAME_DEFAULT } from '../../schemas/config/index.js';
import { formatLabels, type Label } from '../../schemas/labels/index.js';
import type { KeyValue, OtlpLogRecord, OtlpLogsRequest } from './otlp-model.js';
import { anyValueText, attributeToLabels } from './otlp-attributes.js';
import type { PushEntry, PushRequest, PushStream } from '../../schemas/record/index.js';

/** What happens to a matching attribute (Loki's `otlp_config` actions). */
export type OtlpAction = 'index_label' | 'structured_metadata' | 'drop';

/** One rule of an `otlp_config` list: an action for the named attributes, or for names matching `regex`. */
export interface OtlpAttributesConfig {
  readonly action: OtlpAction;
  readonly attributes?: readonly string[];
  /** Matched against the whole name (anchored by the caller, as Prometheus' relabel.Regexp is). */
  readonly regex?: RegExp;
}

/** Loki's per-tenant `otlp_config` (YAML keys kept, as in the config tree). */
export interface OtlpConfig {
  readonly resource_attributes: {
    /** When true, `default_resource_attributes_as_index_labels` is not applied. */
    readonly ignore_defaults: boolean;
    readonly attributes_config: readonly OtlpAttributesConfig[];
  };
  readonly scope_attributes: readonly OtlpAttributesConfig[];
  readonly log_attributes: readonly OtlpAttributesConfig[];
  readonly severity_text_as_label: boolean;
}

/**
 * Loki's `distributor.otlp.default_resource_attributes_as_index_labels`: the resource attributes
 * promoted to stream labels unless a tenant ignores the defaults.
 */
export const DEFAULT_OTLP_RESOURCE_ATTRIBUTES_AS_INDEX_LABELS: readonly string[] = Object.freeze([
  'service.name', 'service.namespace', 'service.instance.id', 'deployment.environment', 'deployment.environment.name',
  'cloud.region', 'cloud.availability_zone', 'k8s.cluster.name', 'k8s.namespace.name', 'k8s.pod.name',
  'k8s.container.name', 'container.name', 'k8s.replicaset.name', 'k8s.deployment.name', 'k8s.statefulset.name',
  'k8s.daemonset.name', 'k8s.cronjob.name', 'k8s.job.name',
]);

/** A tenant with no `otlp_config` of its own. */
export const DEFAULT_OTLP_CONFIG: OtlpConfig = Object.freeze({
  resource_attributes: { ignore_defaults: false, attributes_config: [] },
  scope_attributes: [],
  log_attributes: [],
  severity_text_as_label: false,
});

/** Everything the conversion depends on besides the request. */
export interface OtlpConversion {
  readonly config: OtlpConfig;
  /** `distributor.otlp.default_resource_attributes_as_index_labels`. */
  readonly defaultIndexLabels: readonly string[];
  /** `limits_config.discover_service_name`; empty disables the `service_name` fallback. */
  readonly discoverServiceName: readonly string[];
  /** The receive time in ns, used for records with neither timestamp nor observed timestamp. */
  readonly nowNs: bigint;
}

/** Loki's defaults for a tenant without overrides, receiving at `nowNs`. */
export function defaultOtlpConversion(nowNs: bigint): OtlpConversion {
  return { config: DEFAULT_OTLP_CONFIG, defaultIndexLabels: DEFAULT_OTLP_RESOURCE_ATTRIBUTES_AS_INDEX_LABELS, discoverServiceName: DISCOVER_SERVICE_NAME_DEFAULT, nowNs };
}

const SERVICE_NAME_ATTRIBUTE = 'service.name';
const SERVICE_NAME_LABEL = 'service_name';
const UNKNOWN_SERVICE = 'unknown_service';
const EVENT_NAME = 'event_name';
const ENCODER = new TextEncoder();

function actionFor(name: string, rules: readonly OtlpAttributesConfig[]): OtlpAction {
  for (const rule of rules) {
    if (rule.regex !== undefined && rule.regex.test(name)) return rule.action;
    if (rule.attributes?.includes(name)) return rule.action;
  }
  return 'structured_metadata';
}

function resourceRules(c: OtlpConversion): readonly OtlpAttributesConfig[] {
  const own = c.config.resource_attributes;
  if (own.ignore_defaults || c.defaultIndexLabels.length === 0) return own.attributes_config;
  return [{ action: 'index_label', attributes: c.defaultIndexLabels }, ...own.attributes_config];
}

function hex(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += (bytes[i] as number).toString(16).padStart(2, '0');
  return s;
}

function isAllZero(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) if (bytes[i] !== 0) return false;
  return true;
}

function labelText(labels: ReadonlyMap<string, string>): string {
  const sorted = [...labels.entries()].map(([name, value]) => ({ name, value })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return formatLabels(sorted);
}

/** Stream labels and structured metadata from resource attributes (ResourceAttrsToStreamLabels). */
function resourceLabels(attrs: readonly KeyValue[], c: OtlpConversion): { labels: Map<string, string>; metadata: Label[] } {
  const labels = new Map<string, string>();
  const metadata: Label[] = [];
  const rules = resourceRules(c);
  const service = attrs.find((kv) => kv.key === SERVICE_NAME_ATTRIBUTE);
  let hasServiceName = service !== undefined && anyValueText(service.value) !== '';
  for (const kv of attrs) {
    const action = actionFor(kv.key, rules);
    if (action === 'drop') continue;
    const pairs = attributeToLabels(kv);
    if (action === 'index_label') for (const p of pairs) labels.set(p.name, p.value);
    else metadata.push(...pairs);
  }
  if (!hasServiceName && c.discoverServiceName.length > 0) {
    for (const name of c.discoverServiceName) {
      const v = labels.get(name);
      if (v !== undefined && v !== '') {
        labels.set(SERVICE_NAME_LABEL, v);
        hasServiceName = true;
        break;
      }
    }
    if (!hasServiceName) labels.set(SERVICE_NAME_LABEL, UNKNOWN_SERVICE);
  }
  return { labels, metadata };
}

/** Structured metadata from a scope (ScopeAttrsToStructuredMetadata); index_label is not allowed here. */
function scopeMetadata(scope: OtlpLogsRequest['resourceLogs'][number]['scopeLogs'][number]['scope'], c: OtlpConversion): Label[] {
  const out: Label[] = [];
  for (const kv of scope.attributes) {
    const action = actionFor(kv.key, c.config.scope_attributes);
    if (action === 'drop') continue;
    const pairs = attributeToLabels(kv);
    if (action === 'structured_metadata') out.push(...pairs);
  }
  if (scope.name !== '') out.push({ name: 'scope_name', value: scope.name });
  if (scope.version !== '') out.push({ name: 'scope_version', value: scope.version });
  if (scope.droppedAttributesCount !== 0) out.push({ name: 'scope_dropped_attributes_count', value: String(scope.droppedAttributesCount) });
  return out;
}

/** Index labels and structured metadata of one record (LogAttrsToLabels). */
function recordLabels(log: OtlpLogRecord, c: OtlpConversion): { labels: Map<string, string>; metadata: Label[] } {
  const labels = new Map<string, string>();
  const metadata: Label[] = [];
  for (const kv of log.attributes) {
    const action = actionFor(kv.key, c.config.log_attributes);
    if (action === 'drop') continue;
    // The record's own event_name field wins over an attribute of that name.
    if (kv.key === EVENT_NAME && log.eventName !== '') continue;
    const pairs = attributeToLabels(kv);
    if (action === 'structured_metadata') metadata.push(...pairs);
    else for (const p of pairs) labels.set(p.name, p.value);
  }
  if (log.timeUnixNano !== 0n && log.observedTimeUnixNano !== 0n) {
    metadata.push({ name: 'observed_timestamp', value: BigInt.asIntN(64, log.observedTimeUnixNano).toString() });
  }
  if (log.severityNumber !== 0) metadata.push({ name: 'severity_number', value: String(log.severityNumber) });
  if (log.severityText !== '') {
    if (c.config.severity_text_as_label) labels.set('severity_text', log.severityText);
    metadata.push({ name: 'severity_text', value: log.severityText });
  }
  if (log.droppedAttributesCount !== 0) metadata.push({ name: 'dropped_attributes_count', value: String(log.droppedAttributesCount) });
  if (log.flags !== 0) metadata.push({ name: 'flags', value: String(log.flags) });
  if (log.traceId.length > 0 && !isAllZero(log.traceId)) metadata.push({ name: 'trace_id', value: hex(log.traceId) });
  if (log.spanId.length > 0 && !isAllZero(log.spanId)) metadata.push({ name: 'span_id', value: hex(log.spanId) });
  if (log.eventName !== '') metadata.push({ name: EVENT_NAME, value: log.eventName });
  return { labels, metadata };
}

/** Loki's timestampFromLogRecord: the time, else the observed time, else the receive time. */
function recordTimestamp(log: OtlpLogRecord, nowNs: bigint): bigint {
  if (log.timeUnixNano !== 0n) return BigInt.asIntN(64, log.timeUnixNano);
  if (log.observedTimeUnixNano !== 0n) return BigInt.asIntN(64, log.observedTimeUnixNano);
  return nowNs;
}

/**
 * Convert an OTLP logs export to a PushRequest: one stream per distinct label set (in the order
 * first seen; Loki's order is a Go map's), entries in record order. A request without records is
 * an empty PushRequest. Throws FjordError('bad_request', 'symbolizer lookup: …') for attribute
 * names Loki cannot turn into label names.
 */
export function otlpToPushRequest(req: OtlpLogsRequest, c: OtlpConversion): PushRequest {
  let records = 0;
  for (const rl of req.resourceLogs) for (const sl of rl.scopeLogs) records += sl.logRecords.length;
  if (records === 0) return { streams: [] };

  const streams = new Map<string, { labels: string; entries: PushEntry[] }>();
  const streamFor = (text: string, labels: string): { labels: string; entries: PushEntry[] } => {
    let s = streams.get(text);
    if (s === undefined) {
      s = { labels, entries: [] };
      streams.set(text, s);
    }
    return s;
  };
  for (const rl of req.resourceLogs) {
    const resource = resourceLabels(rl.resource.attributes, c);
    const resourceText = labelText(resource.labels);
    // Loki creates the stream up front only when the resource has labels; otherwise entries land
    // in a stream whose label text is empty (the zero value of its map lookup).
    if (resource.labels.size > 0) streamFor(resourceText, resourceText);
    for (const sl of rl.scopeLogs) {
      const scope = scopeMetadata(sl.scope, c);
      for (const log of sl.logRecords) {
        const own = recordLabels(log, c);
        let text = resourceText;
        if (own.labels.size > 0) {
          const combined = new Map(resource.labels);
          for (const [k, v] of own.labels) combined.set(k, v);
          text = labelText(combined);
          streamFor(text, text);
        }
        const metadata = own.metadata.concat(resource.metadata, scope);
        streamFor(text, resource.labels.size > 0 || own.labels.size > 0 ? text : '').entries.push({
          tsNs: recordTimestamp(log, c.nowNs),
          line: ENCODER.encode(anyValueText(log.body)),
          structuredMetadata: metadata,
        });
      }
    }
  }
  const out: PushStream[] = [];
  for (const s of streams.values()) if (s.entries.length > 0 || s.labels.length > 0) out.push(s);
  return { streams: out };
}
