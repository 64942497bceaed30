/**
 * Builds the effective config: defaults, then the YAML file, then flags; every value parsed once
 * into its typed form, every error reported with its key path, the result deep-frozen. Pure: the
 * file arrives already parsed and env-expanded.
 */
import { FjordError } from '../errors.js';
import type { FieldSpec, MapSpec, SectionSpec } from './field.js';
import { configSpec, type FjordConfig } from './tree.js';
import { parseBytes, parseDuration } from './values.js';
import { validateConfig } from './validate.js';

/** A field with its path from the root, e.g. ['ingester', 'max_chunk_age']. */
export interface FieldEntry {
  readonly path: readonly string[];
  readonly field: FieldSpec;
}

/** Every field of a spec with its path, in declaration order (map entries, having no flags, are not fields). */
export function listFields(spec: SectionSpec = configSpec, prefix: readonly string[] = []): FieldEntry[] {
  const out: FieldEntry[] = spec.fields.map((field) => ({ path: [...prefix, field.key], field }));
  for (const [name, sub] of Object.entries(spec.sections ?? {})) out.push(...listFields(sub, [...prefix, name]));
  return out;
}

type Parsed = { ok: true; value: unknown } | { ok: false; error: string };

function show(raw: unknown): string {
  return typeof raw === 'string' ? JSON.stringify(raw) : String(raw);
}

/** Parse one raw value (from YAML or a flag) into the field's typed value. */
export function parseFieldValue(field: FieldSpec, raw: unknown): Parsed {
  const bad = (what: string): Parsed => ({ ok: false, error: `${show(raw)} is not ${what}` });
  const checkMin = (n: number): Parsed =>
    field.min !== undefined && n < field.min ? { ok: false, error: `${show(raw)} is below the minimum ${field.min}` } : { ok: true, value: n };
  switch (field.kind) {
    case 'duration': {
      const ms = typeof raw === 'string' ? parseDuration(raw) : raw === 0 ? 0 : null;
      return ms === null ? bad('a duration (e.g. 30s, 5m, 1h30m)') : checkMin(ms);
    }
    case 'bytes': {
      const n = typeof raw === 'number' && Number.isInteger(raw) && raw >= 0 ? raw : typeof raw === 'string' ? parseBytes(raw) : null;
      return n === null ? bad('a byte size (e.g. 262144, 256KB, 1.5MB)') : checkMin(n);
    }
    case 'int': {
      const n = typeof raw === 'number' ? raw : typeof raw === 'string' && /^-?\d+$/.test(raw.trim()) ? Number(raw) : NaN;
      return Number.isSafeInteger(n) ? checkMin(n) : bad('an integer');
    }
    case 'float': {
      const n = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
      return Number.isFinite(n) ? checkMin(n) : bad('a number');
    }
    case 'bool': {
      if (typeof raw === 'boolean') return { ok: true, value: raw };
      if (raw === 'true' || raw === '1') return { ok: true, value: true };
      if (raw === 'false' || raw === '0') return { ok: true, value: false };
      return bad('true or false');
    }
    case 'string':
      return typeof raw === 'string' || typeof raw === 'number' ? { ok: true, value: String(raw) } : bad('a string');
    case 'enum':
      return typeof raw === 'string' && field.values.includes(raw)
        ? { ok: true, value: raw }
        : { ok: false, error: `${show(raw)} is not one of ${field.values.join(', ')}` };
    case 'list': {
      if (typeof raw === 'string') return { ok: true, value: raw.split(',').map((s) => s.trim()).filter((s) => s !== '') };
      if (Array.isArray(raw) && raw.every((v) => typeof v === 'string' || typeof v === 'number')) {
        return { ok: true, value: raw.map(String) };
      }
      return bad('a list of strings');
    }
    case 'stream_retention':
      return parseStreamRetention(raw);
  }
}

/** Loki's smallest `retention_stream` period. */
const MIN_STREAM_RETENTION_MS = 24 * 3600_000;

/**
 * A `retention_stream` list: `[{selector, priority, period}]`, each period at least 24h (Loki's
 * rule). The selector is checked for its shape here; its matchers are compiled where they are used.
 */
function parseStreamRetention(raw: unknown): Parsed {
  if (raw === null || raw === undefined) return { ok: true, value: [] };
  if (!Array.isArray(raw)) return { ok: false, error: `${show(raw)} is not a list of {selector, priority, period}` };
  const rules = [];
  for (const [i, r] of raw.entries()) {
    if (!isObject(r)) return { ok: false, error: `[${i}]: expected a mapping of selector, priority, period` };
    const unknown = Object.keys(r).filter((k) => !['selector', 'priority', 'period'].includes(k));
    if (unknown.length > 0) return { ok: false, error: `[${i}].${unknown[0]}: unknown key (known here: selector, priority, period)` };
    const { selector, priority = 0, period } = r;
    if (typeof selector !== 'string' || !/^\s*\{.*\}\s*$/s.test(selector)) return { ok: false, error: `[${i}].selector: ${show(selector)} is not a stream selector such as {namespace="dev"}` };
    if (typeof priority !== 'number' || !Number.isSafeInteger(priority)) return { ok: false, error: `[${i}].priority: ${show(priority)} is not an integer` };
    const ms = typeof period === 'string' ? parseDuration(period) : null;
    if (ms === null) return { ok: false, error: `[${i}].period: ${show(period)} is not a duration (e.g. 24h, 7d)` };
    if (ms < MIN_STREAM_RETENTION_MS) return { ok: false, error: `[${i}].period: retention period must be >= 24h was ${period}` };
    rules.push({ selector: selector.trim(), priority, period: ms });
  }
  return { ok: true, value: rules };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function setAt(tree: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let node = tree;
  for (const part of path.slice(0, -1)) node = node[part] as Record<string, unknown>;
  node[path[path.length - 1] as string] = value;
}

function defaultsOf(spec: SectionSpec): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of spec.fields) {
    const parsed = parseFieldValue(field, field.default);
    if (!parsed.ok) throw new FjordError('internal', `bad default of ${field.key}: ${parsed.error}`);
    out[field.key] = parsed.value;
  }
  for (const [name, sub] of Object.entries(spec.sections ?? {})) out[name] = defaultsOf(sub);
  for (const name of Object.keys(spec.maps ?? {})) out[name] = {};
  return out;
}

function applyMap(map: MapSpec, raw: unknown, path: string[], errors: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (raw === null || raw === undefined) return out;
  if (!isObject(raw)) {
    errors.push(`${path.join('.')}: expected a mapping of names, got ${show(raw)}`);
    return out;
  }
  for (const [name, value] of Object.entries(raw)) {
    if (map.kind === 'strings') {
      if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') out[name] = String(value);
      else errors.push(`${[...path, name].join('.')}: ${show(value)} is not a string`);
    } else {
      const node = defaultsOf(map.entry);
      applyFile(map.entry, node, value, [...path, name], errors);
      out[name] = node;
    }
  }
  return out;
}

function applyFile(spec: SectionSpec, node: Record<string, unknown>, raw: unknown, path: string[], errors: string[]): void {
  if (raw === null || raw === undefined) return;
  const where = path.length === 0 ? 'the config file' : path.join('.');
  if (!isObject(raw)) {
    errors.push(`${where}: expected a mapping of keys, got ${show(raw)}`);
    return;
  }
  for (const [key, value] of Object.entries(raw)) {
    const keyPath = [...path, key];
    const field = spec.fields.find((f) => f.key === key);
    const sub = spec.sections?.[key];
    const map = spec.maps?.[key];
    if (field) {
      const parsed = parseFieldValue(field, value);
      if (parsed.ok) node[key] = parsed.value;
      else errors.push(`${keyPath.join('.')}: ${parsed.error}`);
    } else if (sub) {
      applyFile(sub, node[key] as Record<string, unknown>, value, keyPath, errors);
    } else if (map) {
      node[key] = applyMap(map, value, keyPath, errors);
    } else {
      const known = [...spec.fields.map((f) => f.key), ...Object.keys(spec.sections ?? {}), ...Object.keys(spec.maps ?? {})];
      errors.push(`${keyPath.join('.')}: unknown key (known here: ${known.join(', ')})`);
    }
  }
}

/** Where the config comes from: the parsed YAML file (or null) and the flags given, in order. */
export interface ConfigSource {
  readonly file: unknown;
  readonly flags: ReadonlyArray<readonly [name: string, value: string | true]>;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/**
 * Build the effective config. Throws FjordError('invalid_config') whose message has one line per
 * problem, each naming the key (or flag), the value and what is allowed.
 */
export function buildConfig(source: ConfigSource): FjordConfig {
  const tree = defaultsOf(configSpec);
  const errors: string[] = [];
  applyFile(configSpec, tree, source.file, [], errors);
  const byFlag = new Map(listFields().filter((e) => e.field.flag !== '').map((e) => [e.field.flag, e]));
  for (const [name, raw] of source.flags) {
    const entry = byFlag.get(name);
    if (!entry) {
      errors.push(`flag provided but not defined: -${name}`);
      continue;
    }
    const value = raw === true ? (entry.field.kind === 'bool' ? true : undefined) : raw;
    if (value === undefined) {
      errors.push(`flag needs an argument: -${name}`);
      continue;
    }
    const parsed = parseFieldValue(entry.field, value);
    if (parsed.ok) setAt(tree, entry.path, parsed.value);
    else errors.push(`-${name} (${entry.path.join('.')}): ${parsed.error}`);
  }
  const config = tree as unknown as FjordConfig;
  if (errors.length === 0) errors.push(...validateConfig(config));
  if (errors.length > 0) throw new FjordError('invalid_config', errors.join('\n'));
  return deepFreeze(config);
}

/**
 * A copy of `base` (a built section of `spec`) with the YAML-shaped `raw` applied on top, as a
 * tenant's overrides apply to `limits_config`. Throws FjordError('invalid_config'), each problem
 * named by its key under `path`.
 */
export function overrideSection<T>(spec: SectionSpec, base: T, raw: unknown, path: readonly string[]): T {
  const copy = structuredClone(base) as Record<string, unknown>;
  const errors: string[] = [];
  applyFile(spec, copy, raw, [...path], errors);
  if (errors.length > 0) throw new FjordError('invalid_config', errors.join('\n'));
  return deepFreeze(copy) as T;
}

/** Expand `${VAR}` and `${VAR:-default}` in config text, as `-config.expand-env` does in Loki. */
export function expandEnv(text: string, env: Readonly<Record<string, string | undefined>>): string {
  return text.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g, (_m, name: string, def?: string) => {
    const v = env[name];
    return v !== undefined && v !== '' ? v : (def ?? '');
  });
}
