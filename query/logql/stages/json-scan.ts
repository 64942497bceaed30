/**
 * A lenient JSON scanner with the behaviour of the jsonparser library Loki uses
 * (grafana/jsonparser ObjectEach/Get): values are located without validating numbers, keys are
 * visited in order while scanning (so keys before a syntax error are still seen), and errors carry
 * the library's texts. Works on a decoded line (JS string); only ASCII structure is inspected. Pure.
 */

/** Value types reported to callbacks. */
export type JsonType = 'string' | 'number' | 'boolean' | 'null' | 'object' | 'array';

/** jsonparser's error texts. */
export const JSON_ERRORS = {
  malformedJson: 'Malformed JSON error',
  malformedString: "Value is string, but can't find closing '\"' symbol",
  malformedArray: "Value is array, but can't find closing ']' symbol",
  malformedObject: "Value looks like object, but can't find closing '}' symbol",
  malformedValue: "Value looks like Number/Boolean/None, but can't find its end: ',' or '}' symbol",
  unknownType: 'Unknown value type',
  badEscape: 'Encountered an invalid escape sequence in a string',
} as const;

/** Signals a stop requested by a callback (not an error). */
export class StopScan {
  constructor(readonly reason: string) {}
}

function nextToken(s: string, i: number): number {
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return i;
  }
  return -1;
}

/** Index just past the closing quote of a string whose body starts at `i`, or -1. */
function stringEnd(s: string, i: number): number {
  for (let k = i; k < s.length; k++) {
    const c = s.charCodeAt(k);
    if (c === 0x22) {
      let j = k - 1;
      let backslashes = 0;
      while (j >= i && s.charCodeAt(j) === 0x5c) {
        backslashes++;
        j--;
      }
      if (backslashes % 2 === 0) return k + 1;
    }
  }
  return -1;
}

function blockEnd(s: string, i: number, open: number, close: number): number {
  let level = 0;
  for (let k = i; k < s.length; k++) {
    const c = s.charCodeAt(k);
    if (c === 0x22) {
      const e = stringEnd(s, k + 1);
      if (e < 0) return -1;
      k = e - 1;
    } else if (c === open) level++;
    else if (c === close) {
      level--;
      if (level === 0) return k + 1;
    }
  }
  return -1;
}

function tokenEnd(s: string, i: number): number {
  for (let k = i; k < s.length; k++) {
    const c = s.charCodeAt(k);
    if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09 || c === 0x2c || c === 0x7d || c === 0x5d) return k;
  }
  return s.length;
}

/** A located value: raw text (string values without their quotes), type, and end index. */
export interface JsonValue {
  readonly raw: string;
  readonly type: JsonType;
  readonly end: number;
}

/** jsonparser's Get on the value starting at or after `i`; throws the library's error text. */
export function getValue(s: string, from: number): JsonValue {
  const i = nextToken(s, from);
  if (i < 0) throw new Error(JSON_ERRORS.malformedJson);
  const c = s.charCodeAt(i);
  if (c === 0x22) {
    const e = stringEnd(s, i + 1);
    if (e < 0) throw new Error(JSON_ERRORS.malformedString);
    return { raw: s.slice(i + 1, e - 1), type: 'string', end: e };
  }
  if (c === 0x5b || c === 0x7b) {
    const e = blockEnd(s, i, c, c + 2);
    if (e < 0) throw new Error(c === 0x5b ? JSON_ERRORS.malformedArray : JSON_ERRORS.malformedObject);
    return { raw: s.slice(i, e), type: c === 0x5b ? 'array' : 'object', end: e };
  }
  const e = tokenEnd(s, i);
  const raw = s.slice(i, e);
  if (c === 0x74 || c === 0x66) {
    if (raw !== 'true' && raw !== 'false') throw new Error(JSON_ERRORS.unknownType);
    return { raw, type: 'boolean', end: e };
  }
  if (c === 0x75 || c === 0x6e) {
    if (raw !== 'null') throw new Error(JSON_ERRORS.unknownType);
    return { raw, type: 'null', end: e };
  }
  if ((c >= 0x30 && c <= 0x39) || c === 0x2d) return { raw, type: 'number', end: e };
  throw new Error(JSON_ERRORS.unknownType);
}

/**
 * jsonparser's Unescape of a string body; null when an escape is invalid. Lone surrogates become
 * U+FFFD as Go does.
 */
export function unescapeJson(raw: string): string | null {
  if (!raw.includes('\\')) return raw;
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const ch = raw[i] as string;
    if (ch !== '\\') {
      out += ch;
      continue;
    }
    const e = raw[++i];
    switch (e) {
      case '"': case '\\': case '/': out += e; break;
      case 'b': out += '\b'; break;
      case 'f': out += '\f'; break;
      case 'n': out += '\n'; break;
      case 'r': out += '\r'; break;
      case 't': out += '\t'; break;
      case 'u': {
        const hex = raw.slice(i + 1, i + 5);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) return null;
        let cp = parseInt(hex, 16);
        i += 4;
        if (cp >= 0xd800 && cp < 0xdc00) {
          const low = /^\\u([dD][c-fC-F][0-9a-fA-F]{2})/.exec(raw.slice(i + 1));
          if (low !== null) {
            cp = 0x10000 + ((cp - 0xd800) << 10) + (parseInt(low[1] as string, 16) - 0xdc00);
            i += 6;
          } else cp = 0xfffd;
        } else if (cp >= 0xdc00 && cp <= 0xdfff) cp = 0xfffd;
        out += String.fromCodePoint(cp);
        break;
      }
      default:
        return null;
    }
  }
  return out;
}

/**
 * jsonparser's ObjectEach: call `fn(key, value)` for each member of the object at `from`, in order.
 * Throws Error with the library's text on malformed input; callbacks may throw StopScan.
 */
export function eachMember(s: string, from: number, fn: (key: string, value: JsonValue) => void): void {
  let i = nextToken(s, from);
  if (i < 0 || s.charCodeAt(i) !== 0x7b) throw new Error(JSON_ERRORS.malformedObject);
  i = nextToken(s, i + 1);
  if (i < 0) throw new Error(JSON_ERRORS.malformedJson);
  if (s.charCodeAt(i) === 0x7d) return;
  while (i < s.length) {
    const c = s.charCodeAt(i);
    if (c === 0x7d) return;
    if (c !== 0x22) throw new Error(JSON_ERRORS.malformedObject);
    const ke = stringEnd(s, i + 1);
    if (ke < 0) throw new Error(JSON_ERRORS.malformedJson);
    let key = s.slice(i + 1, ke - 1);
    if (key.includes('\\')) {
      const u = unescapeJson(key);
      if (u === null) throw new Error(JSON_ERRORS.badEscape);
      key = u;
    }
    i = nextToken(s, ke);
    if (i < 0 || s.charCodeAt(i) !== 0x3a) throw new Error(JSON_ERRORS.malformedJson);
    const value = getValue(s, i + 1);
    fn(key, value);
    i = nextToken(s, value.end);
    if (i < 0) throw new Error(JSON_ERRORS.malformedArray);
    const d = s.charCodeAt(i);
    if (d === 0x7d) return;
    if (d !== 0x2c) throw new Error(JSON_ERRORS.malformedObject);
    i = nextToken(s, i + 1);
    if (i < 0) throw new Error(JSON_ERRORS.malformedArray);
  }
  throw new Error(JSON_ERRORS.malformedObject);
}
