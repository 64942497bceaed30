/**
 * Prometheus' otlptranslator LabelNamer.Build (v1.0.0, legacy names), how Loki names OTLP
 * attributes (`pkg/loghttp/push/otlplabels`) and normalises structured metadata names
 * (`pkg/distributor`): every run of characters outside `[a-zA-Z0-9]` becomes one `_` (a surrogate
 * pair is one character), `__x__` keeps its reserved underscores, a leading digit gets `key_`, and
 * a name that is empty or only underscores afterwards is an error with otlptranslator's text. Not
 * the LogQL parsers' rule (one `_` per character, `_` before a digit): that is
 * logql-sanitize-label-key.ts. Pure.
 */
import { quoteGo } from './strconv-quote.js';

/** Every run of characters outside [a-zA-Z0-9] becomes one `_`. */
function collapse(name: string): string {
  return name.replace(/[^a-zA-Z0-9]+/g, '_');
}

/**
 * LabelNamer.Build: `service.name` → `service_name`, `k8s.pod.name` → `k8s_pod_name`, `123abc` →
 * `key_123abc`; `{ error }` with otlptranslator's text for an empty name or one that normalises
 * to underscores only.
 */
export function buildLabelName(name: string): string | { readonly error: string } {
  if (name === '') return { error: 'label name is empty' };
  let out = name.length >= 4 && name.startsWith('__') && name.endsWith('__') ? '__' + collapse(name.slice(2, -2)) + '__' : collapse(name);
  const first = out.charCodeAt(0);
  if (first >= 0x30 && first <= 0x39) out = 'key_' + out;
  if (/^_*$/.test(out)) return { error: `normalization for label name ${quoteGo(name)} resulted in invalid name ${quoteGo(out)}` };
  return out;
}

/** True when Build would return `name` unchanged (the common case, checked without allocating). */
export function isBuiltLabelName(name: string): boolean {
  return /^[A-Za-z][A-Za-z0-9]*(_[A-Za-z0-9]+)*$/.test(name) || /^__[A-Za-z0-9]+(_[A-Za-z0-9]+)*__$/.test(name);
}
