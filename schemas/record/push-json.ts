/**
 * Loki's JSON push body (`POST /loki/api/v1/push`, Content-Type application/json) to and from the
 * PushRequest model. Pure.
 *
 * Decoding reproduces Loki's two-layer reader (`pkg/util/unmarshal` DecodePushRequest): jsoniter
 * reads `{"streams": [...]}` (field name matched case-insensitively, other members skipped, only
 * the first JSON value of the body read) and strictly skips each stream element; then each element
 * goes through jsonparser (`pkg/loghttp/query.go` LogProtoStream.UnmarshalJSON,
 * `unmarshalHTTPToLogProtoEntry`; `pkg/loghttp/labels.go` LabelSet). The errors are Loki's texts,
 * e.g. `loghttp.PushRequest.Streams: []loghttp.LogProtoStream: unmarshalerDecoder: Value is
 * string, but can't find closing '"' symbol, error found in #10 byte of ...|…|..., bigger context
 * ...|…|...`, and an empty body is `EOF`. On top of Loki, Fjord requires the body to be UTF-8.
 *
 * The label text of a stream is Loki's LabelSet.String(): names sorted, values Go-quoted. Lines
 * without escapes are subarrays of the body (no copy).
 */
import { isUtf8 } from 'node:buffer';
import { FjordError } from '../errors.js';
import { parseLabelText, quoteLabelValue, type Label } from '../labels/index.js';
import type { PushEntry, PushRequest, PushStream } from './push.js';
import {
  arrayEach, byteText, JsoniterCursor, JSONPARSER_ERRORS, JsonType, objectEach, jsonparserParseInt, unescape, type FoundKey,
  type FoundValue,
} from '../go/index.js';

const E = JSONPARSER_ERRORS;
const TEXT = new TextDecoder('utf-8');
const ENCODER = new TextEncoder();
const NO_LABELS: readonly Label[] = Object.freeze([]);
const STREAMS = 'streams';

function fail(message: string): never {
  throw new FjordError('bad_request', message);
}

/** A stream element as decoded so far; jsoniter reuses slice elements when `streams` repeats. */
interface StreamSlot {
  labels: string;
  entries: readonly PushEntry[];
}

/**
 * Decode a Loki JSON push body. Throws FjordError('bad_request') with Loki's message for anything
 * Loki rejects (see the module comment), and for a body that is not UTF-8.
 */
export function decodePushJson(body: Uint8Array | string): PushRequest {
  const b = typeof body === 'string' ? ENCODER.encode(body) : body;
  if (b.length === 0) fail('EOF');
  if (!isUtf8(b)) fail(`push body is not valid UTF-8 (first bad byte at offset ${firstInvalidUtf8(b)})`);
  const it = new JsoniterCursor(b);
  // jsoniter's oneFieldStructDecoder for loghttp.PushRequest{Streams}.
  const c = it.nextToken();
  if (c === 0x6e) {
    it.skipNull();
    if (it.error !== null) fail(it.error);
    return { streams: [] };
  }
  if (c !== 0x7b) {
    it.reportError('readObjectStart', `expect { or n, but found ${byteText(c)}`);
    fail(it.error ?? '');
  }
  if (it.nextToken() === 0x7d) return { streams: [] };
  it.unreadByte();
  it.enter();
  let slots: StreamSlot[] = [];
  for (;;) {
    const isStreams = readFieldName(it);
    if (it.error !== null) break;
    if (isStreams) {
      slots = readStreams(it, slots);
      if (it.error !== null) {
        it.error = `Streams: []loghttp.LogProtoStream: ${it.error}`;
        break;
      }
    } else {
      it.skip();
      if (it.error !== null) break;
    }
    const d = it.nextToken();
    if (d === 0x2c) continue;
    if (d !== 0x7d) it.reportError('isObjectEnd', `object ended prematurely, unexpected char ${byteText(d)}`);
    break;
  }
  if (it.error !== null) fail(`loghttp.PushRequest.${it.error}`);
  const streams: PushStream[] = slots.map((s) => ({ labels: s.labels, entries: s.entries }));
  return { streams };
}

/** jsoniter's readFieldHash: reads `"name":` and says whether the name is `streams`, ignoring ASCII case. */
function readFieldName(it: JsoniterCursor): boolean {
  const c = it.nextToken();
  if (c !== 0x22) {
    it.reportError('readFieldHash', `expect ", but found ${byteText(c)}`);
    return false;
  }
  const b = it.b;
  const start = it.head;
  let i = start;
  for (; i < b.length; i++) {
    const d = b[i] as number;
    if (d === 0x22 || d === 0x5c) break;
  }
  if (i === b.length) {
    // jsoniter reports from where the name began: its scan does not move the position.
    it.reportError('readFieldHash', 'incomplete field name');
    return false;
  }
  let name: Uint8Array;
  if (b[i] === 0x22) {
    name = b.subarray(start, i);
    it.head = i + 1;
  } else {
    // An escape: jsoniter unescapes the rest of the name on its slow path.
    it.head = i;
    it.readStringSlowPath();
    if (it.error !== null) return false;
    const unescaped = unescape(b, start, it.head - 1);
    name = unescaped ?? b.subarray(start, it.head - 1);
  }
  const d = it.nextToken();
  if (d !== 0x3a) {
    it.reportError('readFieldHash', `expect :, but found ${byteText(d)}`);
    return false;
  }
  if (name.length !== STREAMS.length) return false;
  for (let j = 0; j < name.length; j++) {
    let ch = name[j] as number;
    if (ch >= 0x41 && ch <= 0x5a) ch += 0x20;
    if (ch !== STREAMS.charCodeAt(j)) return false;
  }
  return true;
}

/** jsoniter's sliceDecoder over `[]loghttp.LogProtoStream`; `prev` is the slice from an earlier `streams`. */
function readStreams(it: JsoniterCursor, prev: StreamSlot[]): StreamSlot[] {
  const c = it.nextToken();
  if (c === 0x6e) {
    it.skipNull();
    return [];
  }
  if (c !== 0x5b) {
    it.reportError('decode slice', `expect [ or n, but found ${byteText(c)}`);
    return prev;
  }
  if (it.nextToken() === 0x5d) return [];
  it.unreadByte();
  const out: StreamSlot[] = [];
  for (;;) {
    // unmarshalerDecoder: capture the element with a strict skip, then hand it to jsonparser.
    it.nextToken();
    it.unreadByte();
    const start = it.head;
    it.skip();
    if (it.error !== null) return out;
    const slot: StreamSlot = { ...(prev[out.length] ?? { labels: '', entries: [] }) };
    const err = decodeStreamElement(it.b, start, it.head, slot);
    if (err !== null) {
      it.reportError('unmarshalerDecoder', err);
      return out;
    }
    out.push(slot);
    const d = it.nextToken();
    if (d === 0x2c) continue;
    if (d !== 0x5d) it.reportError('decode slice', `expect ], but found ${byteText(d)}`);
    return out;
  }
}

function keyIs(b: Uint8Array, k: FoundKey, word: string): boolean {
  if (k.escaped) return keyText(b, k) === word;
  if (k.end - k.start !== word.length) return false;
  for (let i = 0; i < word.length; i++) if (b[k.start + i] !== word.charCodeAt(i)) return false;
  return true;
}

function keyText(b: Uint8Array, k: FoundKey): string {
  const raw = k.escaped ? unescape(b, k.start, k.end) : b.subarray(k.start, k.end);
  return TEXT.decode(raw ?? b.subarray(k.start, k.end));
}

/** LogProtoStream.UnmarshalJSON over one element: fills `slot` or returns jsonparser's error text. */
function decodeStreamElement(b: Uint8Array, start: number, end: number, slot: StreamSlot): string | null {
  return objectEach(b, start, end, (k, v) => {
    if (keyIs(b, k, 'stream')) {
      const labels = decodeLabelSet(b, v);
      if (typeof labels !== 'string') return labels.error;
      slot.labels = labels;
    } else if (keyIs(b, k, 'values')) {
      if (v.type === JsonType.Null) return null;
      const entries = decodeEntries(b, v.start, v.end);
      if ('error' in entries) return entries.error;
      slot.entries = entries;
    }
    return null;
  });
}

/** loghttp.LabelSet.UnmarshalJSON then String(): `{a="b", c="d"}`, names sorted, last duplicate wins. */
function decodeLabelSet(b: Uint8Array, v: FoundValue): string | { error: string } {
  const map = new Map<string, string>();
  const err = objectEach(b, v.start, v.end, (k, val) => {
    const value = unescape(b, val.start, val.end);
    if (value === null) return E.malformedValue;
    // The key is unescaped by ObjectEach and once more by ParseString, as in Loki.
    const once = k.escaped ? unescape(b, k.start, k.end) : b.subarray(k.start, k.end);
    const twice = once === null ? null : unescape(once, 0, once.length);
    if (twice === null) return E.malformedValue;
    map.set(TEXT.decode(twice), TEXT.decode(value));
    return null;
  });
  if (err !== null) return { error: err };
  const names = [...map.keys()].sort(compareUtf8);
  let out = '{';
  for (let i = 0; i < names.length; i++) {
    const name = names[i] as string;
    if (i > 0) out += ', ';
    out += name + '=' + quoteLabelValue(map.get(name) as string);
  }
  return out + '}';
}

/** Go's string order (UTF-8 bytes), which differs from UTF-16 order above U+FFFF. */
function compareUtf8(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.codePointAt(i) as number;
    const y = b.codePointAt(i) as number;
    if (x !== y) return x < y ? -1 : 1;
    if (x > 0xffff) i++;
  }
  return a.length - b.length;
}

/** unmarshalHTTPToLogProtoEntries: null elements skipped; the scan's own error wins over an element's. */
function decodeEntries(b: Uint8Array, start: number, end: number): PushEntry[] | { error: string } {
  const entries: PushEntry[] = [];
  let parseError: string | null = null;
  const scanError = arrayEach(b, start, end, (v) => {
    if (parseError !== null || v.type === JsonType.Null) return;
    const e = decodeEntry(b, v.start, v.end);
    if (typeof e === 'string') parseError = e;
    else entries.push(e);
  });
  if (scanError !== null) return { error: scanError };
  if (parseError !== null) return { error: parseError };
  return entries;
}

/**
 * unmarshalHTTPToLogProtoEntry: `["<ns>", "<line>", {metadata}]`. As in Loki, a failing element
 * does not advance the position, so the next element is checked against the same slot and its
 * error replaces the previous one; elements past the third are ignored.
 */
function decodeEntry(b: Uint8Array, start: number, end: number): PushEntry | string {
  let i = 0;
  let parseError: string | null = null;
  let tsNs = 0n;
  let line: Uint8Array = EMPTY_LINE;
  let structuredMetadata: readonly Label[] = NO_LABELS;
  const scanError = arrayEach(b, start, end, (v) => {
    if ((i === 0 || i === 1) && v.type !== JsonType.String) {
      parseError = E.malformedString;
      return;
    }
    if (i === 2 && v.type !== JsonType.Object) {
      parseError = E.malformedObject;
      return;
    }
    if (i === 0) {
      const ts = jsonparserParseInt(b, v.start, v.end);
      if (typeof ts === 'string') {
        parseError = ts;
        return;
      }
      tsNs = ts;
    } else if (i === 1) {
      const text = unescape(b, v.start, v.end);
      if (text === null) {
        parseError = E.malformedValue;
        return;
      }
      line = text;
    } else if (i === 2) {
      const pairs: Label[] = [];
      const err = objectEach(b, v.start, v.end, (k, val) => {
        if (val.type !== JsonType.String) return E.malformedString;
        const value = unescape(b, val.start, val.end);
        if (value === null) return E.malformedValue;
        pairs.push({ name: keyText(b, k), value: TEXT.decode(value) });
        return null;
      });
      if (err !== null) {
        parseError = err;
        return;
      }
      structuredMetadata = pairs.length === 0 ? NO_LABELS : pairs;
    }
    i++;
  });
  if (parseError !== null) return parseError;
  if (scanError !== null) return scanError;
  return { tsNs, line, structuredMetadata };
}

const EMPTY_LINE = new Uint8Array(0);

/** Offset of the first byte that does not start a valid UTF-8 sequence (error path only). */
function firstInvalidUtf8(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i] as number;
    const n = c < 0x80 ? 1 : c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3 : c >= 0xf0 && c <= 0xf4 ? 4 : 0;
    if (n === 0 || !isUtf8(b.subarray(i, i + n))) return i;
    i += n;
  }
  return i;
}

// ---- encoding ----

function jsonString(s: string): string {
  return JSON.stringify(s);
}

/**
 * Encode a PushRequest as Loki's JSON push body: `{"streams":[{"stream":{…},"values":[["<ns>",
 * "<line>"(,{metadata})]]}]}`, the `stream` object parsed from each stream's label text. Lines
 * must be UTF-8. Throws FjordError('invalid_labels') for label text that does not parse.
 */
export function encodePushJson(req: PushRequest): string {
  const parts: string[] = [];
  for (const s of req.streams) {
    const stream: string[] = [];
    const labels = s.labels.trim() === '' ? [] : parseLabelText(s.labels);
    for (const l of labels) stream.push(`${jsonString(l.name)}:${jsonString(l.value)}`);
    const values: string[] = [];
    for (const e of s.entries) {
      let v = `[${jsonString(e.tsNs.toString())},${jsonString(TEXT.decode(e.line))}`;
      if (e.structuredMetadata.length > 0) {
        v += ',{' + e.structuredMetadata.map((l) => `${jsonString(l.name)}:${jsonString(l.value)}`).join(',') + '}';
      }
      values.push(v + ']');
    }
    parts.push(`{"stream":{${stream.join(',')}},"values":[${values.join(',')}]}`);
  }
  return `{"streams":[${parts.join(',')}]}`;
}
