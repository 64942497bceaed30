/**
 * Loki's detected fields and detected labels (`L:pkg/querier/queryrange/detected_fields.go`,
 * `L:pkg/querier/querier.go` DetectedLabels): fields come from a sample of log lines (structured
 * metadata, labels the query parsed, and each line parsed as JSON or else logfmt), each with a
 * type inferred from its values, its parsers and its cardinality; labels come from the selected
 * series, minus those whose values all look like IDs. Cardinalities are exact counts (Loki
 * estimates them with HyperLogLog, which is exact at these sizes). Pure.
 */
import type { Labels } from '../../schemas/labels/index.js';
import type { ResultEntry, ResultStream } from '../engine/query-backend.js';
import { parseGoDuration, parseGoFloat } from '../../schemas/go/index.js';
import { ERROR_DETAILS_LABEL, ERROR_LABEL, compileLogPipeline, type LogPipeline } from '../logql/index.js';

/** Loki's DetectedFieldType values. */
export type DetectedFieldType = 'string' | 'int' | 'float' | 'boolean' | 'duration' | 'bytes';

/** One detected field, as Loki's logproto.DetectedField JSON. */
export interface DetectedField {
  readonly label: string;
  readonly type: DetectedFieldType;
  readonly cardinality: number;
  /** null for structured metadata fields (Grafana tells them apart by it). */
  readonly parsers: readonly string[] | null;
  readonly jsonPath?: readonly string[];
}

const PRESERVE_ERROR_LABEL = '__preserve_error__';
const SKIPPED = new Set([ERROR_LABEL, ERROR_DETAILS_LABEL, PRESERVE_ERROR_LABEL]);

const BYTES_TABLE: Readonly<Record<string, number>> = {
  b: 1, kib: 1024, kb: 1000, mib: 1024 ** 2, mb: 1000 ** 2, gib: 1024 ** 3, gb: 1000 ** 3, tib: 1024 ** 4,
  tb: 1000 ** 4, pib: 1024 ** 5, pb: 1000 ** 5, eib: 1024 ** 6, eb: 1000 ** 6,
  '': 1, ki: 1024, k: 1000, mi: 1024 ** 2, m: 1000 ** 2, gi: 1024 ** 3, g: 1000 ** 3, ti: 1024 ** 4, t: 1000 ** 4,
  pi: 1024 ** 5, p: 1000 ** 5, ei: 1024 ** 6, e: 1000 ** 6,
};

/** go-humanize's ParseBytes (`10 MB`, `1.5KiB`, `42`): bytes, or null when it would fail. */
export function parseHumanBytes(s: string): number | null {
  let i = 0;
  let hasComma = false;
  while (i < s.length && /[0-9.,]/.test(s[i] as string)) {
    if (s[i] === ',') hasComma = true;
    i++;
  }
  const num = hasComma ? s.slice(0, i).replaceAll(',', '') : s.slice(0, i);
  const f = parseGoFloat(num);
  if (!f.ok) return null;
  const mult = BYTES_TABLE[s.slice(i).trim().toLowerCase()];
  if (mult === undefined) return null;
  const v = f.value * mult;
  if (v >= 18446744073709551615) return null;
  return Math.trunc(v);
}

/** go-humanize's Bytes (SI units) without the space, as Loki prints detected byte values. */
export function formatHumanBytes(n: number): string {
  if (n < 10) return `${n}B`;
  const sizes = ['B', 'kB', 'MB', 'GB', 'TB', 'PB', 'EB'];
  const e = Math.floor(Math.log(n) / Math.log(1000));
  const val = Math.floor((n / Math.pow(1000, e)) * 10 + 0.5) / 10;
  return `${val < 10 ? val.toFixed(1) : val.toFixed(0)}${sizes[e] ?? ''}`;
}

const BYTES_UNITS = ['b', 'kib', 'kb', 'mib', 'mb', 'gib', 'gb', 'tib', 'tb', 'pib', 'pb', 'eib', 'eb', 'ki', 'k', 'mi', 'm', 'gi', 'g', 'ti', 't', 'pi', 'p', 'ei', 'e'];
const GO_BOOLS = new Set(['1', 't', 'T', 'TRUE', 'true', 'True', '0', 'f', 'F', 'FALSE', 'false', 'False']);

function isGoInt64(v: string): boolean {
  if (!/^[+-]?\d+$/.test(v)) return false;
  const b = BigInt(v);
  return b <= 9223372036854775807n && b >= -9223372036854775808n;
}

/** Loki's determineType: the first of int, float, boolean, duration, bytes that parses; else string. */
export function determineFieldType(value: string): DetectedFieldType {
  if (isGoInt64(value)) return 'int';
  if (parseGoFloat(value).ok) return 'float';
  if (GO_BOOLS.has(value)) return 'boolean';
  if (parseGoDuration(value).ok) return 'duration';
  if (parseHumanBytes(value) !== null) return 'bytes';
  return 'string';
}

/** The JSON and logfmt pipelines used to parse sampled lines (Loki's NewJSONParser / NewLogfmtParser). */
export interface LineParsers {
  readonly json: LogPipeline;
  readonly logfmt: LogPipeline;
}

/** Build the line parsers once per request. */
export function lineParsers(): LineParsers {
  return {
    json: compileLogPipeline({ kind: 'logSelector', matchers: [], stages: [{ kind: 'json', extractions: [] }] }),
    logfmt: compileLogPipeline({ kind: 'logSelector', matchers: [], stages: [{ kind: 'logfmt', strict: false, keepEmpty: false, extractions: [] }] }),
  };
}

function sanitizeKey(k: string): string {
  const s = k.replace(/[^A-Za-z0-9_]/g, '_');
  return /^[0-9]/.test(s) ? `_${s}` : s;
}

/** Flattened JSON key → its path of original keys, as Loki's JSON parser names fields. */
function jsonPaths(line: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  let doc: unknown;
  try {
    doc = JSON.parse(line);
  } catch {
    return out;
  }
  const walk = (v: unknown, path: string[]): void => {
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      for (const [k, child] of Object.entries(v)) walk(child, [...path, k]);
    } else if (path.length > 0) {
      out.set(path.map(sanitizeKey).join('_'), path);
    }
  };
  walk(doc, []);
  return out;
}

const EMPTY_SM: Labels = [];
const utf8 = new TextEncoder();

/** Loki's parseEntry: the query's parsed labels plus the line parsed as JSON, else logfmt. */
function parseEntry(entry: ResultEntry, streamLabels: Labels, parsers: LineParsers): { fields: Map<string, Set<string>>; parser: 'json' | 'logfmt' | null; paths: Map<string, string[]> } {
  const fields = new Map<string, Set<string>>();
  const add = (name: string, value: string): void => {
    if (SKIPPED.has(name)) return;
    let set = fields.get(name);
    if (set === undefined) fields.set(name, (set = new Set()));
    set.add(value);
  };
  for (const l of entry.parsed) add(l.name, l.value);
  const line = utf8.encode(entry.line);
  const failed = (r: { parsed: Labels } | null): boolean => r === null || r.parsed.some((l) => l.name === ERROR_LABEL);
  let parser: 'json' | 'logfmt' = 'json';
  let r = parsers.json.forStream(streamLabels).process(0n, line, EMPTY_SM);
  if (failed(r)) {
    parser = 'logfmt';
    r = parsers.logfmt.forStream(streamLabels).process(0n, line, EMPTY_SM);
    if (failed(r)) return { fields, parser: null, paths: new Map() };
  }
  for (const l of (r as { parsed: Labels }).parsed) add(l.name, l.value);
  return { fields, parser, paths: parser === 'json' ? jsonPaths(entry.line) : new Map() };
}

interface FieldState {
  type: DetectedFieldType;
  readonly values: Set<string>;
  parsers: string[] | null;
  jsonPath: string[] | undefined;
}

/** Loki's parseDetectedFields over the sampled streams; at most `limit` fields, sorted by name. */
export function detectFields(streams: readonly ResultStream[], limit: number, parsers: LineParsers = lineParsers()): DetectedField[] {
  const fields = new Map<string, FieldState>();
  const stateFor = (name: string, parserList: string[] | null): FieldState | undefined => {
    let st = fields.get(name);
    if (st === undefined && fields.size < limit) {
      st = { type: 'string', values: new Set(), parsers: parserList === null ? null : [...parserList], jsonPath: undefined };
      fields.set(name, st);
    }
    return st;
  };
  for (const s of streams) {
    for (const e of s.entries) {
      const sm = new Map<string, Set<string>>();
      for (const l of e.structuredMetadata) {
        let set = sm.get(l.name);
        if (set === undefined) sm.set(l.name, (set = new Set()));
        set.add(l.value);
      }
      for (const [name, vals] of sm) {
        const st = stateFor(name, null);
        if (st === undefined) continue;
        let first = true;
        for (const v of vals) {
          if (first) st.type = determineFieldType(v);
          first = false;
          st.values.add(v);
        }
      }
      const parsed = parseEntry(e, s.labels, parsers);
      const parserList = parsed.parser === null ? [] : [parsed.parser];
      for (const [name, vals] of parsed.fields) {
        const st = stateFor(name, parserList);
        if (st === undefined) continue;
        for (const p of parserList) {
          st.parsers ??= [];
          if (!st.parsers.includes(p)) st.parsers.push(p);
        }
        if (parsed.parser === 'json') st.jsonPath = parsed.paths.get(name);
        let first = true;
        for (const v of vals) {
          if (first) st.type = determineFieldType(v);
          first = false;
          st.values.add(v);
        }
      }
    }
  }
  return [...fields.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([label, st]) => {
      const f: DetectedField = { label, type: st.type, cardinality: st.values.size, parsers: st.parsers === null || st.parsers.length === 0 ? null : st.parsers };
      return st.jsonPath !== undefined && st.jsonPath.length > 0 ? { ...f, jsonPath: st.jsonPath } : f;
    });
}

/** Loki's parseDetectedFieldValues: distinct values of field `name` (bytes values normalised), sorted. */
export function detectFieldValues(streams: readonly ResultStream[], name: string, limit: number, parsers: LineParsers = lineParsers()): string[] {
  const values = new Set<string>();
  for (const s of streams) {
    for (const e of s.entries) {
      if (values.size >= limit) break;
      for (const l of e.structuredMetadata) if (l.name === name) values.add(l.value);
      const vals = parseEntry(e, s.labels, parsers).fields.get(name);
      if (vals === undefined) continue;
      for (const v of vals) {
        const bs = parseHumanBytes(v);
        const lower = v.toLowerCase();
        if (bs !== null && BYTES_UNITS.some((u) => lower.endsWith(u))) values.add(formatHumanBytes(bs));
        else values.add(v);
      }
    }
  }
  return [...values].sort();
}

const STATIC_LABELS = new Set(['cluster', 'namespace', 'instance', 'pod']);
const UUID = /^(?:urn:uuid:)?\{?[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\}?$|^[0-9a-fA-F]{32}$/;

function isUuid(v: string): boolean {
  if (!UUID.test(v)) return false;
  return !(v.startsWith('{') !== v.endsWith('}'));
}

/** Loki's containsAllIDTypes: every value is a number or a UUID. */
function containsAllIdTypes(values: readonly string[]): boolean {
  return values.every((v) => parseGoFloat(v).ok || isUuid(v));
}

/** Loki's shouldRejectLabel: no values, or all values look like IDs (except 0/1 booleans). */
export function shouldRejectLabel(values: readonly string[]): boolean {
  if (values.length === 0) return true;
  if (values.length > 2) return containsAllIdTypes(values);
  for (const v of values) if (v !== '0' && v !== '1') return containsAllIdTypes(values);
  return false;
}

/** Detected labels of a set of series: each label name with its number of distinct values, sorted. */
export function detectLabels(series: readonly Labels[]): Array<{ label: string; cardinality: number }> {
  const byName = new Map<string, Set<string>>();
  for (const s of series) {
    for (const l of s) {
      let set = byName.get(l.name);
      if (set === undefined) byName.set(l.name, (set = new Set()));
      set.add(l.value);
    }
  }
  const out: Array<{ label: string; cardinality: number }> = [];
  for (const [label, set] of byName) {
    const values = [...set];
    if ((STATIC_LABELS.has(label) && values.length > 0) || !shouldRejectLabel(values)) out.push({ label, cardinality: values.length });
  }
  return out.sort((a, b) => (a.label < b.label ? -1 : a.label > b.label ? 1 : 0));
}
