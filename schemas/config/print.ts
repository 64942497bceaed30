/** The effective config as a plain object for `/config` and `-print-config`: Loki's value forms, secrets masked. */
import type { SectionSpec, StreamRetentionRule } from './field.js';
import { configSpec, type FjordConfig } from './tree.js';
import { formatDuration } from './values.js';

function printSection(spec: SectionSpec, node: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of spec.fields) {
    const v = node[field.key];
    if (field.secret) out[field.key] = v === '' ? '' : '********';
    else if (field.kind === 'duration') out[field.key] = formatDuration(v as number);
    else if (field.kind === 'stream_retention') out[field.key] = (v as readonly StreamRetentionRule[]).map((r) => ({ ...r, period: formatDuration(r.period) }));
    else out[field.key] = v;
  }
  for (const [name, sub] of Object.entries(spec.sections ?? {})) {
    out[name] = printSection(sub, node[name] as Record<string, unknown>);
  }
  for (const [name, map] of Object.entries(spec.maps ?? {})) {
    const entries = node[name] as Record<string, unknown>;
    out[name] = map.kind === 'strings'
      ? Object.fromEntries(Object.entries(entries).map(([k, v]) => [k, map.secret ? '********' : v]))
      : Object.fromEntries(Object.entries(entries).map(([k, v]) => [k, printSection(map.entry, v as Record<string, unknown>)]));
  }
  return out;
}

/** A plain object of the effective config, ready to print as YAML. */
export function printableConfig(cfg: FjordConfig): Record<string, unknown> {
  return printSection(configSpec, cfg as unknown as Record<string, unknown>);
}
