/**
 * Rule groups as YAML, the way Loki's rules API writes them (Go yaml.v3, 4-space indent): struct
 * fields in `rulefmt` order with `omitempty`, map keys sorted, strings plain where YAML allows,
 * else single-quoted, double-quoted when they hold line breaks or would read as another type. Pure.
 */
import { formatPromDuration } from '../../schemas/go/index.js';
import type { RuleDesc, RuleGroupDesc } from './rule-group.js';

const INDENT = 4;
const NON_STRING = /^(?:~|null|Null|NULL|true|True|TRUE|false|False|FALSE|y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF|[-+]?(?:\.[0-9]+|[0-9][0-9_]*(?:\.[0-9_]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?0[xX][0-9a-fA-F_]+|0[oO]?[0-7_]+|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)|<<)$/;
const INDICATOR_START = /^[-?:,[\]{}#&*!|>'"%@`]/;

function isPlain(s: string): boolean {
  if (s === '' || NON_STRING.test(s)) return false;
  if (/[\x00-\x08\x0b-\x1f\x7f\n]/.test(s)) return false;
  if (/^\s|\s$/.test(s)) return false;
  if (INDICATOR_START.test(s) && !/^[-?:][^\s]/.test(s)) return false;
  if (/^(?:---|\.\.\.)/.test(s)) return false;
  return !(s.includes(': ') || s.includes(' #') || s.endsWith(':'));
}

/** A string scalar as yaml.v3 would write it. */
export function yamlScalar(s: string): string {
  if (isPlain(s)) return s;
  if (s !== '' && !NON_STRING.test(s) && !/[\x00-\x1f\x7f]/.test(s)) return `'${s.replace(/'/g, "''")}'`;
  return JSON.stringify(s);
}

function pad(n: number): string {
  return ' '.repeat(n);
}

/** A block mapping of string values at `indent` (keys sorted). */
function stringMap(out: string[], key: string, values: Readonly<Record<string, string>>, keyCol: number, indent: number): void {
  const keys = Object.keys(values).sort();
  if (keys.length === 0) return;
  out.push(`${pad(keyCol)}${key}:`);
  for (const k of keys) out.push(`${pad(indent + INDENT)}${yamlScalar(k)}: ${yamlScalar(values[k] as string)}`);
}

function duration(ms: number): string {
  return formatPromDuration(BigInt(ms) * 1_000_000n);
}

/** One rule as a sequence item whose dash is at column `dash`. */
function rule(out: string[], r: RuleDesc, dash: number): void {
  const fields: Array<[string, string]> = [];
  if (r.record !== '') fields.push(['record', yamlScalar(r.record)]);
  if (r.alert !== '') fields.push(['alert', yamlScalar(r.alert)]);
  fields.push(['expr', yamlScalar(r.expr)]);
  if (r.forMs !== 0) fields.push(['for', duration(r.forMs)]);
  if (r.keepFiringForMs !== 0) fields.push(['keep_firing_for', duration(r.keepFiringForMs)]);
  fields.forEach(([k, v], i) => out.push(`${pad(i === 0 ? dash : dash + 2)}${i === 0 ? '- ' : ''}${k}: ${v}`));
  stringMap(out, 'labels', r.labels, dash + 2, dash);
  stringMap(out, 'annotations', r.annotations, dash + 2, dash);
}

/**
 * A group's fields: the first key at `firstCol` (after a `- ` when the group is a sequence item),
 * the others at `keyCol`; nested blocks indent from `indent`.
 */
function group(out: string[], g: RuleGroupDesc, firstPrefix: string, keyCol: number, indent: number): void {
  const lines: string[] = [`name: ${yamlScalar(g.name)}`];
  if (g.intervalMs !== 0) lines.push(`interval: ${duration(g.intervalMs)}`);
  if (g.limit !== 0) lines.push(`limit: ${g.limit}`);
  lines.forEach((l, i) => out.push(i === 0 ? `${firstPrefix}${l}` : `${pad(keyCol)}${l}`));
  if (g.rules.length === 0) {
    out.push(`${pad(keyCol)}rules: []`);
    return;
  }
  out.push(`${pad(keyCol)}rules:`);
  for (const r of g.rules) rule(out, r, indent + INDENT);
}

/** One group, as `GET …/rules/{namespace}/{group}` answers it. */
export function encodeRuleGroup(g: RuleGroupDesc): string {
  const out: string[] = [];
  group(out, g, '', 0, 0);
  return out.join('\n') + '\n';
}

/** Groups by namespace, as `GET …/rules[/{namespace}]` answers them (namespaces sorted). */
export function encodeNamespaces(groups: ReadonlyMap<string, readonly RuleGroupDesc[]>): string {
  const out: string[] = [];
  for (const ns of [...groups.keys()].sort()) {
    const list = groups.get(ns) ?? [];
    if (list.length === 0) {
      out.push(`${yamlScalar(ns)}: []`);
      continue;
    }
    out.push(`${yamlScalar(ns)}:`);
    for (const g of list) group(out, g, `${pad(INDENT)}- `, INDENT + 2, INDENT);
  }
  return out.join('\n') + '\n';
}
