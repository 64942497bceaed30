/**
 * Loki's JSON stages (pkg/logql/log/parser.go): `| json` flattens nested objects into
 * `a_b_c` labels (arrays skipped, keys sanitised, first value of a name wins), `| json l="a.b[0]"`
 * extracts paths, `| unpack` unpacks Promtail's packed entries. Errors set `__error__=JSONParserErr`
 * with jsonparser's text in `__error_details__`; labels found before the error stay. Pure.
 */
import { FjordError } from '../../../schemas/index.js';
import type { LabelExtraction } from '../ast.js';
import { eachMember, getValue, JSON_ERRORS, unescapeJson, type JsonValue } from './json-scan.js';
import type { LabelsBuilder } from './labels-builder.js';
import { sanitizeLabelKey } from './label-names.js';

/** Loki's `__error__` value for JSON failures. */
export const JSON_PARSER_ERR = 'JSONParserErr';

/** Loki's readValue/unescapeJSONString: string values unescaped (invalid UTF-8 → space), others as text. */
function readValue(v: JsonValue): string {
  switch (v.type) {
    case 'string': {
      const u = unescapeJson(v.raw);
      if (u === null) return '';
      return u.includes('\ufffd') ? u.replace(/\ufffd/g, ' ') : u;
    }
    case 'number': return v.raw;
    case 'boolean': return v.raw === 'true' ? 'true' : 'false';
    default: return '';
  }
}

function sanitizePart(part: string, first: boolean): string {
  const t = part.trim();
  if (t === '') return '';
  let out = first && t.charCodeAt(0) >= 0x30 && t.charCodeAt(0) <= 0x39 ? '_' : '';
  for (const ch of t) out += /[A-Za-z0-9_]/.test(ch) ? ch : '_';
  return out;
}

function joinPrefix(parts: readonly string[]): string {
  let out = '';
  for (const p of parts) {
    const s = sanitizePart(p, out === '');
    if (s === '') continue;
    out = out === '' ? s : `${out}_${s}`;
  }
  return out;
}

/** `| json`: flatten the line's object into parsed labels. */
export function parseJsonLine(line: string, lbs: LabelsBuilder): void {
  const prefix: string[] = [];
  const visit = (key: string, value: JsonValue): void => {
    if (value.type === 'object') {
      prefix.push(key);
      try {
        eachMember(value.raw, 0, visit);
      } finally {
        prefix.pop();
      }
      return;
    }
    if (value.type !== 'string' && value.type !== 'number' && value.type !== 'boolean') return;
    let name: string;
    if (prefix.length === 0) {
      name = sanitizeLabelKey(key, true);
      if (name === '') return;
      name = lbs.parsedName(name);
    } else {
      name = joinPrefix([...prefix, key]);
      if (lbs.baseHas(name) || lbs.hasStructuredMetadata(name)) name = joinPrefix([...prefix, key + '_extracted']);
    }
    if (lbs.wasExtracted(name)) return;
    lbs.set('parsed', name, readValue(value));
  };
  try {
    eachMember(line, 0, visit);
  } catch (err) {
    lbs.err = JSON_PARSER_ERR;
    lbs.errDetails = err instanceof Error ? err.message : String(err);
  }
}

/** One step of a JSON path: a field name or an array index. */
export type JsonPathStep = string | number;

/** Parse a `| json` extraction expression (`a.b[0]["c d"]`) like Loki's jsonexpr; throws FjordError. */
export function parseJsonPath(expr: string): JsonPathStep[] {
  const out: JsonPathStep[] = [];
  const fail = (why: string): never => {
    throw new FjordError('bad_request', `cannot parse expression [${expr}]: ${why}`);
  };
  let i = 0;
  let expectField = true;
  while (i < expr.length) {
    const c = expr[i] as string;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '.') {
      if (out.length === 0) fail('syntax error: unexpected DOT');
      expectField = true;
      i++;
      continue;
    }
    if (c === '[') {
      const m = /^\[\s*(?:"([^"\]]*)"?|(\d+))\s*\]/.exec(expr.slice(i));
      if (m === null) fail('syntax error: unexpected LSB');
      const mm = m as RegExpExecArray;
      out.push(mm[2] !== undefined ? Number(mm[2]) : (mm[1] as string));
      i += mm[0].length;
      expectField = false;
      continue;
    }
    if (/[A-Za-z_]/.test(c)) {
      if (!expectField) fail('syntax error: unexpected FIELD');
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(expr.slice(i)) as RegExpExecArray;
      out.push(m[0]);
      i += m[0].length;
      expectField = false;
      continue;
    }
    fail(`unexpected char ${c}`);
  }
  if (out.length === 0) fail('syntax error: unexpected $end');
  return out;
}

function lookupPath(line: string, path: readonly JsonPathStep[]): JsonValue | null {
  let cur: JsonValue = getValue(line, 0);
  for (const step of path) {
    let found: JsonValue | null = null;
    if (typeof step === 'number') {
      if (cur.type !== 'array') return null;
      let idx = 0;
      const body = cur.raw;
      let k = 1;
      while (found === null) {
        while (k < body.length && /\s/.test(body[k] as string)) k++;
        if (k >= body.length || body[k] === ']') return null;
        const v = getValue(body, k);
        if (idx === step) found = v;
        idx++;
        k = v.end;
        while (k < body.length && /\s/.test(body[k] as string)) k++;
        if (body[k] === ',') k++;
      }
    } else {
      if (cur.type !== 'object') return null;
      eachMember(cur.raw, 0, (key, value) => {
        if (found === null && key === step) found = value;
      });
    }
    if (found === null) return null;
    cur = found;
  }
  return cur;
}

/** `| json name="path", …`: extract the given paths; absent ones become empty labels. */
export function extractJsonPaths(line: string, ids: readonly string[], paths: readonly (readonly JsonPathStep[])[], lbs: LabelsBuilder): void {
  if (line.length === 0) return;
  const c = line[0];
  if (c !== '"' && c !== '{' && c !== '[') {
    lbs.err = JSON_PARSER_ERR;
    return;
  }
  for (let k = 0; k < ids.length; k++) {
    const id = ids[k] as string;
    let v: JsonValue | null = null;
    try {
      v = lookupPath(line, paths[k] as JsonPathStep[]);
    } catch (err) {
      lbs.err = JSON_PARSER_ERR;
      lbs.errDetails = err instanceof Error ? err.message : String(err);
      continue;
    }
    if (v === null) continue;
    const key = lbs.parsedName(id);
    lbs.set('parsed', key, v.type === 'null' ? '' : v.type === 'object' ? v.raw : readValue(v.type === 'array' ? { ...v, type: 'string' } : v));
  }
  for (const id of ids) if (lbs.get(id) === undefined) lbs.set('parsed', id, '');
}

/** Compile `| json` extraction parameters; throws FjordError on a bad expression. */
export function compileJsonExtractions(list: readonly LabelExtraction[]): { ids: string[]; paths: JsonPathStep[][] } {
  return { ids: list.map((e) => e.name), paths: list.map((e) => parseJsonPath(e.expression)) };
}

const PACKED_KEY = '_entry';

/** `| unpack`: string members become labels; a packed `_entry` replaces the line. Returns the new line. */
export function unpackLine(line: string, lbs: LabelsBuilder): string {
  if (line.length === 0) return line;
  if (line[0] !== '{') {
    lbs.err = JSON_PARSER_ERR;
    lbs.errDetails = 'expecting json object(6), but it is not';
    return line;
  }
  let entry = line;
  let packed = false;
  const found: [string, string][] = [];
  try {
    eachMember(line, 0, (key, value) => {
      if (value.type !== 'string') return;
      if (key === PACKED_KEY) {
        const u = unescapeJson(value.raw);
        if (u === null) throw new Error(JSON_ERRORS.badEscape);
        entry = u;
        packed = true;
        return;
      }
      const name = lbs.parsedName(key);
      if (lbs.wasExtracted(name)) return;
      found.push([sanitizeLabelKey(name, true), readValue(value)]);
    });
  } catch (err) {
    lbs.err = JSON_PARSER_ERR;
    lbs.errDetails = err instanceof Error ? err.message : String(err);
    return line;
  }
  if (packed) for (const [k, v] of found) lbs.set('parsed', k, v);
  return entry;
}
