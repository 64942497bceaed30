/**
 * Stream labels: parsing Loki's label text (`{a="b", c="d"}`), the canonical printed form (names
 * sorted, values quoted as Go's strconv.Quote), and the 64-bit stream fingerprint. Pure.
 */
import { FjordError } from '../errors.js';

/** One label pair. */
export interface Label {
  readonly name: string;
  readonly value: string;
}

/** A label set sorted by name, names unique. */
export type Labels = readonly Label[];

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** True when `name` is a valid label name (`[a-zA-Z_][a-zA-Z0-9_]*`). */
export function isValidLabelName(name: string): boolean {
  return NAME.test(name);
}

const ESCAPES: Record<string, string> = { '\x07': '\\a', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\v': '\\v', '"': '\\"', '\\': '\\\\' };

/**
 * A label value quoted for the canonical label text: `"`, `\\` and ASCII control characters escaped
 * as Go's strconv.Quote escapes them, every other character kept as it is. For printable text this
 * is strconv.Quote; unlike it (schemas/go/strconv-quote.ts), non-printable non-ASCII runes such as
 * U+00AD are not escaped, since stream keys and fingerprints are formed from this text.
 */
export function quoteLabelValue(s: string): string {
  let needs = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x22 || c === 0x5c || c === 0x7f) {
      needs = true;
      break;
    }
  }
  if (!needs) return `"${s}"`;
  let out = '"';
  for (const ch of s) {
    const esc = ESCAPES[ch];
    if (esc) out += esc;
    else {
      const c = ch.charCodeAt(0);
      out += c < 0x20 || c === 0x7f ? `\\x${c.toString(16).padStart(2, '0')}` : ch;
    }
  }
  return out + '"';
}

/** Loki's canonical text of a label set: `{a="b", c="d"}`. */
export function formatLabels(labels: Labels): string {
  let out = '{';
  for (let i = 0; i < labels.length; i++) {
    const l = labels[i] as Label;
    if (i > 0) out += ', ';
    out += l.name + '=' + quoteLabelValue(l.value);
  }
  return out + '}';
}

/** Sort label pairs by name (stable for equal names, so duplicates stay visible to the caller). */
export function sortLabels(labels: readonly Label[]): Label[] {
  return [...labels].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** Labels from a plain object, sorted. */
export function labelsFromObject(obj: Readonly<Record<string, string>>): Labels {
  return sortLabels(Object.entries(obj).map(([name, value]) => ({ name, value })));
}

/** A plain object of a label set. */
export function labelsToObject(labels: Labels): Record<string, string> {
  const out: Record<string, string> = {};
  for (const l of labels) out[l.name] = l.value;
  return out;
}

/** A parse error in PromQL's form, `1:<column>: parse error: <why>` (callers add Loki's prefix). */
function invalid(_text: string, why: string, at = 0): FjordError {
  return new FjordError('invalid_labels', `1:${at + 1}: parse error: ${why}`);
}

function readQuoted(text: string, start: number): { value: string; end: number } {
  const quote = text[start];
  if (quote !== '"' && quote !== '`') throw invalid(text, `unexpected character inside braces: '${quote ?? ''}', expected a quoted label value`, start);
  let i = start + 1;
  let out = '';
  if (quote === '`') {
    const end = text.indexOf('`', i);
    if (end < 0) throw invalid(text, 'unterminated raw string', start);
    return { value: text.slice(i, end), end: end + 1 };
  }
  while (i < text.length) {
    const ch = text[i] as string;
    if (ch === '"') return { value: out, end: i + 1 };
    if (ch !== '\\') {
      out += ch;
      i++;
      continue;
    }
    const next = text[i + 1];
    const simple: Record<string, string> = { a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\', '"': '"', "'": "'" };
    if (next !== undefined && simple[next] !== undefined) {
      out += simple[next];
      i += 2;
    } else if (next === 'x' || next === 'u' || next === 'U') {
      const len = next === 'x' ? 2 : next === 'u' ? 4 : 8;
      const hex = text.slice(i + 2, i + 2 + len);
      if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== len) throw invalid(text, 'invalid escape sequence', i);
      out += next === 'x' ? String.fromCharCode(parseInt(hex, 16)) : String.fromCodePoint(parseInt(hex, 16));
      i += 2 + len;
    } else throw invalid(text, 'invalid escape sequence', i);
  }
  throw invalid(text, 'unterminated quoted string', start);
}

/**
 * Parse label text `{a="b", c="d"}` (values Go-quoted or backquoted) into pairs in written order.
 * Throws FjordError('invalid_labels') whose message is a PromQL-style parse error
 * (`1:3: parse error: …`). Duplicates and order are left to the caller.
 */
export function parseLabelText(text: string): Label[] {
  const s = text.trim();
  if (!s.startsWith('{')) throw invalid(text, `unexpected ${s === '' ? 'end of input' : `character: '${s[0]}'`}, expected '{'`);
  if (!s.endsWith('}')) throw invalid(text, 'unexpected end of input inside braces', s.length);
  const out: Label[] = [];
  let i = 1;
  const end = s.length - 1;
  const skipSpace = () => {
    while (i < end && /\s/.test(s[i] as string)) i++;
  };
  skipSpace();
  while (i < end) {
    const nameStart = i;
    while (i < end && /[A-Za-z0-9_]/.test(s[i] as string)) i++;
    const name = s.slice(nameStart, i);
    if (!isValidLabelName(name)) {
      const ch = s[i] ?? '';
      throw invalid(text, name === '' ? `unexpected character inside braces: '${ch}'` : `invalid label name ${JSON.stringify(name)}`, nameStart);
    }
    skipSpace();
    if (s[i] !== '=') throw invalid(text, `unexpected character inside braces: '${s[i] ?? ''}', expected '=' after label name ${name}`, i);
    i++;
    skipSpace();
    const q = readQuoted(s, i);
    out.push({ name, value: q.value });
    i = q.end;
    skipSpace();
    if (i < end) {
      if (s[i] !== ',') throw invalid(text, `unexpected character inside braces: '${s[i] ?? ''}', expected ',' or '}'`, i);
      i++;
      skipSpace();
    }
  }
  return out;
}

/** Order of label sets (each sorted by name): pair by pair, name then value; a prefix sorts first. */
export function compareLabelSets(a: Labels, b: Labels): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i] as Label;
    const y = b[i] as Label;
    if (x.name !== y.name) return x.name < y.name ? -1 : 1;
    if (x.value !== y.value) return x.value < y.value ? -1 : 1;
  }
  return a.length - b.length;
}

/** Two label sets are equal. */
export function labelsEqual(a: Labels, b: Labels): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as Label;
    const y = b[i] as Label;
    if (x.name !== y.name || x.value !== y.value) return false;
  }
  return true;
}
