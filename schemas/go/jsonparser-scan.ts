/**
 * The scanning rules of the JSON reader Loki decodes push streams with (grafana/jsonparser, used by
 * `pkg/loghttp/query.go` LogProtoStream.UnmarshalJSON), reimplemented over byte ranges so Fjord
 * accepts, rejects and words errors exactly as Loki does — including its leniencies: a value is
 * located by bracket matching, not validated; `ArrayEach` does not check for `[`; numbers and
 * literals end at the next delimiter. Pure; positions are absolute offsets into `b`, and `end` is
 * one past the last byte of the range scanned.
 */

/** jsonparser's value types, in its order. */
export const enum JsonType {
  NotExist = 0,
  String = 1,
  Number = 2,
  Object = 3,
  Array = 4,
  Boolean = 5,
  Null = 6,
  Unknown = 7,
}

/** jsonparser's error texts (its exported error variables). */
export const JSONPARSER_ERRORS = {
  unknownValueType: 'Unknown value type',
  malformedJson: 'Malformed JSON error',
  malformedString: "Value is string, but can't find closing '\"' symbol",
  malformedArray: "Value is array, but can't find closing ']' symbol",
  malformedObject: "Value looks like object, but can't find closing '}' symbol",
  malformedValue: "Value looks like Number/Boolean/None, but can't find its end: ',' or '}' symbol",
  overflowInteger: 'Value is number, but overflowed while parsing',
  malformedStringEscape: 'Encountered an invalid escape sequence in a string',
} as const;

const E = JSONPARSER_ERRORS;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** The value found by `getValue`: its range (string quotes excluded), type, and where it ends. */
export interface FoundValue {
  start: number;
  end: number;
  type: JsonType;
  /** Offset just past the value (past the closing quote for strings). */
  next: number;
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

/** First non-whitespace offset in [start, end), or -1. */
export function nextToken(b: Uint8Array, start: number, end: number): number {
  for (let i = start; i < end; i++) if (!isSpace(b[i] as number)) return i;
  return -1;
}

/** Strings up to this long are scanned by a loop here: below it, the native search's call costs more. */
const SHORT_STRING = 32;

/** False when the string `stringEnd` last found the end of certainly has no backslash (its key then needs no unescaping check). */
let mayHaveBackslash = true;

/** Offset just past the first unescaped quote in [from, to), read as starting outside an escape, or -1; sets mayHaveBackslash for [from, quote). */
function quoteByLoop(b: Uint8Array, from: number, to: number): number {
  let escaped = false;
  let saw = false;
  for (let i = from; i < to; i++) {
    const c = b[i];
    if (c === BACKSLASH) {
      escaped = !escaped;
      saw = true;
    } else if (c === QUOTE && !escaped) {
      mayHaveBackslash = saw;
      return i + 1;
    } else escaped = false;
  }
  mayHaveBackslash = true;
  return -1;
}

/**
 * Offset just past the closing quote of a string whose content starts at `start`, or -1. A quote
 * ends the string unless an odd run of backslashes precedes it — jsonparser's rule. Short strings
 * (most keys and values) are scanned by a loop; past that the native byte search finds quotes,
 * and after a few escaped ones the loop is cheaper again.
 */
export function stringEnd(b: Uint8Array, start: number, end: number): number {
  const short = Math.min(end, start + SHORT_STRING);
  const near = quoteByLoop(b, start, short);
  if (near !== -1 || short === end) return near;
  mayHaveBackslash = true;
  let from = start;
  for (let hops = 0; hops < 4; hops++) {
    const q = b.indexOf(QUOTE, from);
    if (q === -1 || q >= end) return -1;
    let j = q - 1;
    while (j >= start && b[j] === BACKSLASH) j--;
    if ((q - 1 - j) % 2 === 0) return q + 1;
    from = q + 1;
  }
  const q = quoteByLoop(b, from, end);
  mayHaveBackslash = true;
  return q;
}

/** Offset just past the bracket closing the block that opens at `start`, or -1. */
function blockEnd(b: Uint8Array, start: number, end: number, open: number, close: number): number {
  let level = 0;
  let i = start;
  while (i < end) {
    const c = b[i] as number;
    if (c === QUOTE) {
      const se = stringEnd(b, i + 1, end);
      if (se === -1) return -1;
      i = se - 1;
    } else if (c === open) level++;
    else if (c === close) {
      level--;
      if (level === 0) return i + 1;
    }
    i++;
  }
  return -1;
}

function tokenEnd(b: Uint8Array, start: number, end: number): number {
  for (let i = start; i < end; i++) {
    const c = b[i] as number;
    if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09 || c === 0x2c || c === 0x7d || c === 0x5d) return i;
  }
  return end;
}

function bytesAre(b: Uint8Array, start: number, end: number, word: string): boolean {
  if (end - start !== word.length) return false;
  for (let i = 0; i < word.length; i++) if (b[start + i] !== word.charCodeAt(i)) return false;
  return true;
}

/**
 * jsonparser's `Get` with no keys: the first value at or after `start`. Fills `out` and returns
 * null, or returns jsonparser's error text.
 */
export function getValue(b: Uint8Array, start: number, end: number, out: FoundValue): string | null {
  const offset = nextToken(b, start, end);
  if (offset === -1) return E.malformedJson;
  const c = b[offset] as number;
  if (c === QUOTE) {
    const idx = stringEnd(b, offset + 1, end);
    if (idx === -1) return E.malformedString;
    out.start = offset + 1;
    out.end = idx - 1;
    out.type = JsonType.String;
    out.next = idx;
    return null;
  }
  if (c === 0x5b || c === 0x7b) {
    const isArray = c === 0x5b;
    const close = blockEnd(b, offset, end, c, isArray ? 0x5d : 0x7d);
    if (close === -1) return isArray ? E.malformedArray : E.malformedObject;
    out.start = offset;
    out.end = close;
    out.type = isArray ? JsonType.Array : JsonType.Object;
    out.next = close;
    return null;
  }
  const stop = tokenEnd(b, offset, end);
  let type: JsonType;
  if (c === 0x74 || c === 0x66) {
    if (!bytesAre(b, offset, stop, 'true') && !bytesAre(b, offset, stop, 'false')) return E.unknownValueType;
    type = JsonType.Boolean;
  } else if (c === 0x75 || c === 0x6e) {
    if (!bytesAre(b, offset, stop, 'null')) return E.unknownValueType;
    type = JsonType.Null;
  } else if ((c >= 0x30 && c <= 0x39) || c === 0x2d) type = JsonType.Number;
  else return E.unknownValueType;
  out.start = offset;
  out.end = stop;
  out.type = type;
  out.next = stop;
  return null;
}

/**
 * jsonparser's `ArrayEach`: calls `each` for every value of the array in [start, end) and returns
 * null or an error text. Like jsonparser it skips the first token without checking it is `[`, and
 * keeps scanning after `each` has failed (`each` records its own errors).
 */
export function arrayEach(b: Uint8Array, start: number, end: number, each: (v: FoundValue) => void): string | null {
  if (end <= start) return E.malformedObject;
  const first = nextToken(b, start, end);
  if (first === -1) return E.malformedJson;
  let offset = nextToken(b, first + 1, end);
  if (offset === -1) return E.malformedJson;
  if (b[offset] === 0x5d) return null;
  const v: FoundValue = { start: 0, end: 0, type: JsonType.NotExist, next: 0 };
  for (;;) {
    const err = getValue(b, offset, end, v);
    if (err !== null) return err;
    each(v);
    offset = nextToken(b, v.next, end);
    if (offset === -1) return E.malformedArray;
    const c = b[offset];
    if (c === 0x5d) return null;
    if (c !== 0x2c) return E.malformedArray;
    offset++;
  }
}

/** A key of an object member: its raw range and whether it needs unescaping. */
export interface FoundKey {
  start: number;
  end: number;
  escaped: boolean;
}

/**
 * jsonparser's `ObjectEach` over the object in [start, end): calls `each(key, value)` per member;
 * returns the first error text (from the scan or from `each`) or null. With `wanted`, a member
 * whose key's first byte is 0 in it and whose value is not an object is scanned but not passed
 * to `each` (a caller that only wants some keys says which first bytes they can have).
 */
export function objectEach(b: Uint8Array, start: number, end: number, each: (k: FoundKey, v: FoundValue) => string | null, wanted?: Uint8Array): string | null {
  let offset = nextToken(b, start, end);
  if (offset === -1 || b[offset] !== 0x7b) return E.malformedObject;
  offset = nextToken(b, offset + 1, end);
  if (offset === -1) return E.malformedJson;
  if (b[offset] === 0x7d) return null;
  const k: FoundKey = { start: 0, end: 0, escaped: false };
  const v: FoundValue = { start: 0, end: 0, type: JsonType.NotExist, next: 0 };
  while (offset < end) {
    const c = b[offset];
    if (c === 0x7d) return null;
    if (c !== QUOTE) return E.malformedObject;
    offset++;
    const keyEnd = stringEnd(b, offset, end);
    if (keyEnd === -1) return E.malformedJson;
    k.start = offset;
    k.end = keyEnd - 1;
    k.escaped = mayHaveBackslash && indexOfBackslash(b, k.start, k.end) !== -1;
    if (k.escaped && unescape(b, k.start, k.end) === null) return E.malformedStringEscape;
    offset = nextToken(b, keyEnd, end);
    if (offset === -1 || b[offset] !== 0x3a) return E.malformedJson;
    const err = getValue(b, offset + 1, end, v);
    if (err !== null) return err;
    if (wanted === undefined || v.type === JsonType.Object || wanted[b[k.start] as number] !== 0) {
      const cbErr = each(k, v);
      if (cbErr !== null) return cbErr;
    }
    offset = nextToken(b, v.next, end);
    if (offset === -1) return E.malformedArray;
    const d = b[offset];
    if (d === 0x7d) return null;
    if (d !== 0x2c) return E.malformedObject;
    offset = nextToken(b, offset + 1, end);
    if (offset === -1) return E.malformedArray;
  }
  return E.malformedObject;
}

function hexDigit(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x41 && c <= 0x46) return c - 0x41 + 10;
  if (c >= 0x61 && c <= 0x66) return c - 0x61 + 10;
  return -1;
}

/** Four hex digits at `at` (jsonparser does not check that `\u` precedes them), or -1. */
function hex4(b: Uint8Array, at: number, end: number): number {
  if (end - at < 4) return -1;
  const h1 = hexDigit(b[at] as number);
  const h2 = hexDigit(b[at + 1] as number);
  const h3 = hexDigit(b[at + 2] as number);
  const h4 = hexDigit(b[at + 3] as number);
  if (h1 < 0 || h2 < 0 || h3 < 0 || h4 < 0) return -1;
  return (h1 << 12) | (h2 << 8) | (h3 << 4) | h4;
}

/** Write `r` as UTF-8 at `o`, as Go's utf8.EncodeRune (surrogates and values past U+10FFFF as U+FFFD); returns the new end. */
function putRune(out: Uint8Array, o: number, r: number): number {
  if (r < 0 || r > 0x10ffff || (r >= 0xd800 && r <= 0xdfff)) r = 0xfffd;
  if (r < 0x80) out[o++] = r;
  else if (r < 0x800) {
    out[o++] = 0xc0 | (r >> 6);
    out[o++] = 0x80 | (r & 0x3f);
  } else if (r < 0x10000) {
    out[o++] = 0xe0 | (r >> 12);
    out[o++] = 0x80 | ((r >> 6) & 0x3f);
    out[o++] = 0x80 | (r & 0x3f);
  } else {
    out[o++] = 0xf0 | (r >> 18);
    out[o++] = 0x80 | ((r >> 12) & 0x3f);
    out[o++] = 0x80 | ((r >> 6) & 0x3f);
    out[o++] = 0x80 | (r & 0x3f);
  }
  return o;
}

const SIMPLE_ESCAPES = new Int16Array(128).fill(-1);
for (const [from, to] of [[0x22, 0x22], [0x5c, 0x5c], [0x2f, 0x2f], [0x62, 0x08], [0x66, 0x0c], [0x6e, 0x0a], [0x72, 0x0d], [0x74, 0x09]] as const) SIMPLE_ESCAPES[from] = to;

/** First backslash in [start, end), or -1 (a string range with none needs no unescaping); the search never looks past `end`. */
export function indexOfBackslash(b: Uint8Array, start: number, end: number): number {
  if (end - start < 64) {
    for (let i = start; i < end; i++) if (b[i] === BACKSLASH) return i;
    return -1;
  }
  const i = b.subarray(start, end).indexOf(BACKSLASH);
  return i === -1 ? -1 : start + i;
}

/**
 * jsonparser's `Unescape` of the bytes in [start, end): the range itself (a subarray) when it has
 * no backslash, a new array otherwise, or null for an invalid escape.
 */
export function unescape(b: Uint8Array, start: number, end: number): Uint8Array | null {
  let i = indexOfBackslash(b, start, end);
  if (i === -1) return b.subarray(start, end);
  // Unescaping never lengthens: \uXXXX (6 bytes) is at most 3, a pair (12) is 4, \n (2) is 1.
  const out = new Uint8Array(end - start);
  out.set(b.subarray(start, i));
  let o = i - start;
  while (i < end) {
    const c = b[i] as number;
    if (c !== BACKSLASH) {
      out[o++] = c;
      i++;
      continue;
    }
    if (end - i < 2) return null;
    const e = b[i + 1] as number;
    const simple = e < 128 ? (SIMPLE_ESCAPES[e] as number) : -1;
    if (simple >= 0) {
      out[o++] = simple;
      i += 2;
      continue;
    }
    if (e !== 0x75) return null;
    const r = hex4(b, i + 2, end);
    if (r < 0) return null;
    if (r < 0xd800 || r > 0xdfff) {
      o = putRune(out, o, r);
      i += 6;
      continue;
    }
    const r2 = hex4(b, i + 8, end);
    if (r2 < 0 || r2 < 0xdc00) return null;
    o = putRune(out, o, 0x10000 + ((r - 0xd800) << 10) + (r2 - 0xdc00));
    i += 12;
  }
  return out.subarray(0, o);
}

const INT64_MAX = 9223372036854775807n;

/**
 * jsonparser's `ParseInt` of the bytes in [start, end) (a string's content or a number's text):
 * an optional `-`, then digits with no leading zero; the value as a bigint, or an error text.
 */
export function jsonparserParseInt(b: Uint8Array, start: number, end: number): bigint | string {
  if (end <= start) return E.malformedValue;
  let neg = false;
  let i = start;
  if (b[i] === 0x2d) {
    neg = true;
    i++;
  }
  // Checked digit by digit, in jsonparser's order: a bad byte or a leading zero before overflow.
  let count = 0;
  for (let j = i; j < end; j++) {
    const c = b[j] as number;
    if (c < 0x30 || c > 0x39) return E.malformedValue;
    if (count === 1 && b[i] === 0x30) return E.malformedValue;
    count++;
    if (count === 20 && BigInt(latin1(b, i, j + 1)) >= 1n << 64n) return E.overflowInteger;
    if (count === 21) return E.overflowInteger;
  }
  let n: bigint;
  if (count <= 15) n = BigInt(digitsValue(b, i, end));
  else if (count <= 19) n = BigInt(digitsValue(b, i, end - 9)) * 1_000_000_000n + BigInt(digitsValue(b, end - 9, end));
  else n = BigInt(latin1(b, i, end));
  if (n > INT64_MAX) {
    if (neg && n === INT64_MAX + 1n) return -n;
    return E.overflowInteger;
  }
  return neg ? -n : n;
}

function digitsValue(b: Uint8Array, start: number, end: number): number {
  let v = 0;
  for (let j = start; j < end; j++) v = v * 10 + ((b[j] as number) - 0x30);
  return v;
}

function latin1(b: Uint8Array, start: number, end: number): string {
  let text = '';
  for (let j = start; j < end; j++) text += String.fromCharCode(b[j] as number);
  return text;
}
