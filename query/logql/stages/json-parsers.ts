/**
 * Loki's JSON stages (pkg/logql/log/parser.go): `| json` flattens nested objects into
 * `a_b_c` labels (arrays skipped, keys sanitised, first value of a name wins), `| json l="a.b[0]"`
 * extracts paths, `| unpack` unpacks Promtail's packed entries. The line's UTF-8 bytes are scanned
 * with grafana/jsonparser's rules (schemas/go/jsonparser-scan.ts), as Loki scans them. Errors set
 * `__error__=JSONParserErr` with jsonparser's text in `__error_details__`; labels found before the
 * error stay. Pure.
 */
import { Buffer } from 'node:buffer';
import {
  appendSanitized, getValue, indexOfBackslash, JSONPARSER_ERRORS, JsonType, objectEach, sanitizeLabelKey, unescape,
  type FoundKey, type FoundValue,
} from '../../../schemas/go/index.js';
import { FjordError } from '../../../schemas/index.js';
import type { LabelExtraction } from '../ast.js';
import { asciiKeyName, type KeyNames } from './key-names.js';
import type { LabelsBuilder } from './labels-builder.js';

/** Loki's `__error__` value for JSON failures. */
export const JSON_PARSER_ERR = 'JSONParserErr';

/**
 * A line being scanned: its text and its UTF-8 bytes, b[base, base + its byte length). When every
 * character is one byte (`ascii`), byte offsets less `base` are text offsets and ranges are cut from
 * the text; otherwise they are decoded.
 */
interface ScannedLine {
  readonly text: string;
  readonly b: Buffer;
  readonly base: number;
  readonly ascii: boolean;
}

/** The line to scan; `text` may be '' when only `bytes` are given (a bytes-only step). */
function scanned(text: string, bytes: Uint8Array | null): ScannedLine {
  const b = bytes === null ? Buffer.from(text, 'utf8') : Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // Valid UTF-8 decodes to as many UTF-16 units as bytes only when each character is one byte.
  return { text, b, base: 0, ascii: b.length === text.length };
}

/** Ranges up to this long are made into text by a loop here: below it, Buffer's decoding call costs more. */
const SHORT_TEXT = 24;

/** The text of the bytes [start, end) of the line. */
function textOf(l: ScannedLine, start: number, end: number): string {
  if (l.ascii) return l.text.slice(start - l.base, end - l.base);
  if (end - start <= SHORT_TEXT) {
    let t = '';
    let i = start;
    for (; i < end; i++) {
      const c = l.b[i] as number;
      if (c >= 0x80) break;
      t += String.fromCharCode(c);
    }
    if (i === end) return t;
  }
  return l.b.toString('utf8', start, end);
}

function utf8(u: Uint8Array): string {
  return Buffer.from(u.buffer, u.byteOffset, u.byteLength).toString('utf8');
}

/** Loki's unescapeJSONString: jsonparser's Unescape of [start, end) ('' when invalid), invalid UTF-8 as a space. */
function unescapedText(l: ScannedLine, start: number, end: number): string {
  let u: string;
  if (indexOfBackslash(l.b, start, end) === -1) u = textOf(l, start, end);
  else {
    const raw = unescape(l.b, start, end);
    if (raw === null) return '';
    u = utf8(raw);
  }
  return u.includes('\ufffd') ? u.replace(/\ufffd/g, ' ') : u;
}

/** A member's key as text (unescaped; objectEach has checked the escapes). */
function keyText(l: ScannedLine, k: FoundKey): string {
  if (!k.escaped) return textOf(l, k.start, k.end);
  return utf8(unescape(l.b, k.start, k.end) as Uint8Array);
}

/** Loki's readValue: strings unescaped, numbers as text, booleans as `true`/`false`, others empty. */
function readValue(l: ScannedLine, v: FoundValue): string {
  switch (v.type) {
    case JsonType.String: return unescapedText(l, v.start, v.end);
    case JsonType.Number: return textOf(l, v.start, v.end);
    case JsonType.Boolean: return l.b[v.start] === 0x74 ? 'true' : 'false';
    default: return '';
  }
}

/** Loki's buildSanitizedPrefixFromBuffer: the sanitised parts joined by `_`, blank parts skipped. */
function joinPrefix(parts: readonly string[]): string {
  let out = '';
  for (const p of parts) {
    if (p.trim() === '') continue;
    out = appendSanitized(out === '' ? out : out + '_', p);
  }
  return out;
}

/**
 * Which of the names the top-level key in b[start, end) sanitises to (sanitizeLabelKey; a clash
 * adds `_extracted` later, and hints also list such names without the suffix): the name, null when
 * none, or undefined when the key is not ASCII (then only sanitising it tells). Lets a hinted
 * parser skip a member, or name it, without making its key string.
 */
export function requiredKeyName(b: Uint8Array, start: number, end: number, keys: KeyNames): string | null | undefined {
  if (end === start || keys.mayStart[b[start] as number] === 0) return null;
  for (let i = start; i < end; i++) {
    const c = b[i] as number;
    if (c > 0x7f || c <= 0x20) return undefined; // non-ASCII, or spaces that trimming removes
  }
  return asciiKeyName(b, start, end, keys);
}

/** objectEach stop signals (never jsonparser error texts): every needed label found; a filter failed. */
const FOUND_ALL = '\u0000found all labels';
const DOES_NOT_MATCH = '\u0000label does not match';

/**
 * `| json`: flattens the line's object into parsed labels, extracting only what the query's hints
 * ask for (Loki's JSONParser). One parser serves one stage and keeps its scratch state between
 * lines, so a line costs no closures or objects beyond the labels it extracts.
 */
export class JsonLineParser implements ScannedLine {
  text = '';
  b: Buffer = Buffer.alloc(0);
  base = 0;
  ascii = true;
  /** The array `b` was last made from (a block's text, kept across its lines). */
  private source: Uint8Array | null = null;
  private lbs: LabelsBuilder | null = null;
  private required: KeyNames | null = null;
  private readonly prefix: string[] = [];

  /**
   * Parse `line` (whose UTF-8 bytes are bytes[from, to) when known; all of `bytes` by default) into
   * `lbs`; false when a filtered label fails (drop the line).
   */
  parse(line: string, lbs: LabelsBuilder, bytes: Uint8Array | null, from = 0, to = bytes?.length ?? 0): boolean {
    if (lbs.hasNothingToExtract()) return true;
    if (bytes === null) {
      this.source = null;
      this.b = Buffer.from(line, 'utf8');
      from = 0;
      to = this.b.length;
    } else if (bytes !== this.source) {
      this.source = bytes;
      this.b = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    }
    const b = this.b;
    this.text = line;
    this.base = from;
    this.ascii = to - from === line.length;
    this.lbs = lbs;
    this.required = lbs.hints.requiredKeys;
    while (this.prefix.length > 0) this.prefix.pop();
    const err = objectEach(b, from, to, this.visit, this.required?.mayStart);
    this.lbs = null;
    if (err === null || err === FOUND_ALL) return true;
    if (err === DOES_NOT_MATCH) return false;
    lbs.setParserError(JSON_PARSER_ERR, err);
    return true;
  }

  private readonly visit = (k: FoundKey, value: FoundValue): string | null => {
    const lbs = this.lbs as LabelsBuilder;
    if (value.type === JsonType.Object) {
      this.prefix.push(keyText(this, k));
      const err = lbs.shouldExtractPrefix(joinPrefix(this.prefix)) ? objectEach(this.b, value.start, value.end, this.visit) : null;
      this.prefix.pop();
      return err;
    }
    let err: string | null = null;
    if (value.type === JsonType.String || value.type === JsonType.Number || value.type === JsonType.Boolean) err = this.labelValue(lbs, k, value);
    if (lbs.allRequiredExtracted()) return FOUND_ALL;
    return err;
  };

  private labelValue(lbs: LabelsBuilder, k: FoundKey, value: FoundValue): string | null {
    const top = this.prefix.length === 0;
    const known = this.required !== null && top && !k.escaped ? requiredKeyName(this.b, k.start, k.end, this.required) : undefined;
    if (known === null) return null;
    let name: string;
    if (known !== undefined) name = lbs.parsedName(known);
    else if (top) {
      name = sanitizeLabelKey(keyText(this, k), true);
      if (name === '') return null;
      name = lbs.parsedName(name);
    } else {
      const key = keyText(this, k);
      name = joinPrefix([...this.prefix, key]);
      if (lbs.baseHas(name) || lbs.hasStructuredMetadata(name)) name = joinPrefix([...this.prefix, key + '_extracted']);
    }
    if (!lbs.shouldExtract(name) || lbs.wasExtracted(name)) return null;
    lbs.set('parsed', name, readValue(this, value));
    return lbs.passesFilterOn(name) ? null : DOES_NOT_MATCH;
  }
}

/** `| json` over one line, with a parser of its own (a stage keeps one JsonLineParser instead). */
export function parseJsonLine(line: string, lbs: LabelsBuilder, bytes: Uint8Array | null = null): boolean {
  return new JsonLineParser().parse(line, lbs, bytes);
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

/** JavaScript's `\s` over ASCII bytes: the whitespace the array walk skips. */
function isAsciiSpace(c: number | undefined): boolean {
  return c === 0x20 || (c !== undefined && c >= 0x09 && c <= 0x0d);
}

function copyValue(v: FoundValue): FoundValue {
  return { start: v.start, end: v.end, type: v.type, next: v.next };
}

/** The value at `path` in the line: the value, null when absent, or jsonparser's error text. */
function lookupPath(l: ScannedLine, path: readonly JsonPathStep[]): FoundValue | null | string {
  const b = l.b;
  let cur: FoundValue = { start: 0, end: 0, type: JsonType.NotExist, next: 0 };
  const first = getValue(b, 0, b.length, cur);
  if (first !== null) return first;
  for (const step of path) {
    let found: FoundValue | null = null;
    if (typeof step === 'number') {
      if (cur.type !== JsonType.Array) return null;
      const end = cur.end;
      let idx = 0;
      let k = cur.start + 1;
      const v: FoundValue = { start: 0, end: 0, type: JsonType.NotExist, next: 0 };
      while (found === null) {
        while (k < end && isAsciiSpace(b[k])) k++;
        if (k >= end || b[k] === 0x5d) return null;
        const err = getValue(b, k, end, v);
        if (err !== null) return err;
        if (idx === step) found = copyValue(v);
        idx++;
        k = v.next;
        while (k < end && isAsciiSpace(b[k])) k++;
        if (b[k] === 0x2c) k++;
      }
    } else {
      if (cur.type !== JsonType.Object) return null;
      const err = objectEach(b, cur.start, cur.end, (key, value) => {
        if (found === null && keyText(l, key) === step) found = copyValue(value);
        return null;
      });
      if (err !== null) return err;
    }
    if (found === null) return null;
    cur = found;
  }
  return cur;
}

/** `| json name="path", …`: extract the given paths; absent ones become empty labels. `bytes` are the line's UTF-8 bytes when known. */
export function extractJsonPaths(line: string, ids: readonly string[], paths: readonly (readonly JsonPathStep[])[], lbs: LabelsBuilder, bytes: Uint8Array | null = null): void {
  if (lbs.hasNothingToExtract()) return;
  const l = scanned(line, bytes);
  if (l.b.length === 0) return;
  const c = l.b[0];
  if (c !== 0x22 && c !== 0x7b && c !== 0x5b) {
    lbs.setParserError(JSON_PARSER_ERR, null);
    return;
  }
  for (let k = 0; k < ids.length; k++) {
    const id = ids[k] as string;
    const v = lookupPath(l, paths[k] as JsonPathStep[]);
    if (typeof v === 'string') {
      lbs.setParserError(JSON_PARSER_ERR, v);
      continue;
    }
    if (v === null) continue;
    const key = lbs.parsedName(id);
    const text = v.type === JsonType.Null ? '' : v.type === JsonType.Object ? textOf(l, v.start, v.end) : v.type === JsonType.Array ? unescapedText(l, v.start, v.end) : readValue(l, v);
    lbs.set('parsed', key, text);
  }
  for (const id of ids) if (lbs.get(id) === undefined) lbs.set('parsed', id, '');
}

/** Compile `| json` extraction parameters; throws FjordError on a bad expression. */
export function compileJsonExtractions(list: readonly LabelExtraction[]): { ids: string[]; paths: JsonPathStep[][] } {
  return { ids: list.map((e) => e.name), paths: list.map((e) => parseJsonPath(e.expression)) };
}

const PACKED_KEY = '_entry';

/**
 * `| unpack`: string members become labels; a packed `_entry` replaces the line. Returns the new
 * line, or null when an unpacked label fails the query's filter on it. `bytes` are the line's UTF-8
 * bytes when known.
 */
export function unpackLine(line: string, lbs: LabelsBuilder, bytes: Uint8Array | null = null): string | null {
  if (line.length === 0 || lbs.hasNothingToExtract()) return line;
  if (line[0] !== '{') {
    lbs.setParserError(JSON_PARSER_ERR, 'expecting json object(6), but it is not');
    return line;
  }
  const l = scanned(line, bytes);
  let entry = line;
  let packed = false;
  const found: [string, string][] = [];
  const err = objectEach(l.b, 0, l.b.length, (k, value) => {
    if (value.type !== JsonType.String) return null;
    const key = keyText(l, k);
    if (key === PACKED_KEY) {
      const raw = unescape(l.b, value.start, value.end);
      if (raw === null) return JSONPARSER_ERRORS.malformedStringEscape;
      entry = utf8(raw);
      packed = true;
      return null;
    }
    const name = lbs.parsedName(key);
    if (!lbs.shouldExtract(name) || lbs.wasExtracted(name)) return null;
    found.push([sanitizeLabelKey(name, true), readValue(l, value)]);
    return null;
  });
  if (err !== null) {
    lbs.setParserError(JSON_PARSER_ERR, err);
    return line;
  }
  if (packed) {
    for (const [k, v] of found) {
      lbs.set('parsed', k, v);
      if (!lbs.passesFilterOn(k)) return null;
    }
  }
  return entry;
}
