/**
 * How Drain cuts a line into tokens and writes a template back, as Loki's pattern tokenizers
 * (`L:pkg/pattern/drain/line_tokenizer.go`), chosen per stream by the format of its first line:
 * - plain text: split at spaces (kept as positions to write back), '=' and Unicode punctuation
 *   (kept as tokens), except '_', '-', '.', ':', '/';
 * - logfmt: key and value tokens; the values of ts, t, time, timestamp and traceID are variables;
 * - JSON: the text of the first tokenizable field (a top-level string, raw as in the line) cut as
 *   plain text, written back between two placeholders.
 * A written template has runs of placeholders collapsed into one. Pure.
 */

/** Loki's placeholder for a variable token. */
export const PLACEHOLDER = '<_>';

/** The line formats Loki's DetectLogFormat tells apart. */
export type LogFormat = 'json' | 'logfmt' | 'unknown';

/** A tokenized line: its tokens and, for plain text, after which token each space stood. */
export interface Tokens {
  readonly tokens: string[];
  readonly spacesAfter: readonly number[] | null;
}

/**
 * A tokenizer for one stream: null for a line that cannot be tokenized (too long, not parseable).
 * The arrays it returns are its own and are overwritten by the next call (most lines only walk the
 * tree); a caller that keeps them copies them.
 */
export interface LineTokenizer {
  tokenize(line: string): Tokens | null;
  join(tokens: readonly string[], spacesAfter: readonly number[] | null): string;
}

const LOGFMT_LINE = /^(\w+?=([^"]\S*?|".+?") )*?(\w+?=([^"]\S*?|".+?"))+$/;

/** Loki's guess of a stream's format from its first line. */
export function detectLogFormat(line: string): LogFormat {
  if (line.length < 2) return 'unknown';
  if (line[0] === '{' && line[line.length - 1] === '}') return 'json';
  return LOGFMT_LINE.test(line) ? 'logfmt' : 'unknown';
}

/** `<_><_>…` collapsed into one `<_>`. */
export function collapsePlaceholders(text: string): string {
  return text.includes('<_><_>') ? text.replace(/(?:<_>){2,}/g, PLACEHOLDER) : text;
}

const KEPT = /[\p{L}\p{N}_\-.:/]/u;
const PUNCT = /\p{P}/u;
/** Loki stops cutting after 127 tokens (the rest of the line is one more token). */
const MAX_TOKENS = 127;

/** What a character does to a token: stays in it, ends it at a space, ends it and is a token, or neither. */
const enum Cut { Kept, Space, Token, Other }

function cutOf(ch: string): Cut {
  if (KEPT.test(ch)) return Cut.Kept;
  if (ch === ' ') return Cut.Space;
  return ch === '=' || PUNCT.test(ch) ? Cut.Token : Cut.Other;
}

/** cutOf for every ASCII character, so that the common case reads a table. */
const ASCII_CUT = Uint8Array.from({ length: 128 }, (_, c) => cutOf(String.fromCharCode(c)));

/** Arrays a tokenizer fills again for every line (their length is set to what the line has). */
class Scratch implements Tokens {
  readonly tokens: string[] = [];
  readonly spacesAfter: number[] = [];
}

function tokenizePunctuation(line: string, out: Scratch): Tokens {
  const { tokens, spacesAfter } = out;
  let n = 0;
  let spaces = 0;
  let start = 0;
  for (let i = 0; i < line.length; ) {
    if (n >= MAX_TOKENS) break;
    const c = line.charCodeAt(i);
    let width = 1;
    let cut: Cut;
    if (c < 128) cut = ASCII_CUT[c] as Cut;
    else {
      const cp = line.codePointAt(i) as number;
      if (cp > 0xffff) width = 2;
      cut = cutOf(line.slice(i, i + width));
    }
    if (cut === Cut.Space || cut === Cut.Token) {
      if (i > start) tokens[n++] = line.slice(start, i);
      if (cut === Cut.Space) spacesAfter[spaces++] = n - 1;
      else tokens[n++] = line.slice(i, i + width);
      start = i + width;
    }
    i += width;
  }
  if (start < line.length) tokens[n++] = line.slice(start);
  tokens.length = n;
  spacesAfter.length = spaces;
  return out;
}

function joinPunctuation(tokens: readonly string[], spacesAfter: readonly number[] | null): string {
  let out = '';
  let s = 0;
  const spaces = spacesAfter ?? [];
  for (let i = 0; i < tokens.length; i++) {
    out += tokens[i];
    while (s < spaces.length && spaces[s] === i) {
      out += ' ';
      s++;
    }
  }
  return out;
}

/** Plain-text tokenizer. */
export function punctuationTokenizer(maxLineLength: number): LineTokenizer {
  const scratch = new Scratch();
  return {
    tokenize: (line) => (line.length > maxLineLength ? null : tokenizePunctuation(line, scratch)),
    join: (tokens, spacesAfter) => collapsePlaceholders(joinPunctuation(tokens, spacesAfter)),
  };
}

const VARIABLE_KEYS = new Set(['ts', 'time', 'timestamp', 'traceid']);

function isVariableKey(key: string): boolean {
  const n = key.length;
  if (n === 1) return key === 't';
  return (n === 2 || n === 4 || n === 7 || n === 9) && VARIABLE_KEYS.has(key.toLowerCase());
}

/**
 * The keys and values of a logfmt line into `out`, alternately (a bare key's value is ''): how many
 * strings it wrote, or -1 when the line does not scan (an unterminated quote, a bad escape).
 */
export function scanLogfmt(line: string, out: string[]): number {
  let m = 0;
  let i = 0;
  const n = line.length;
  while (i < n) {
    while (i < n && line.charCodeAt(i) <= 0x20) i++;
    if (i >= n) break;
    const k0 = i;
    while (i < n && line.charCodeAt(i) > 0x20 && line[i] !== '=' && line[i] !== '"') i++;
    if (i === k0) return -1;
    out[m++] = line.slice(k0, i);
    if (line[i] !== '=') {
      out[m++] = '';
      continue;
    }
    i++;
    if (line[i] === '"') {
      let j = i + 1;
      let escaped = false;
      // Without a backslash or a control character the quoted text is the value as it stands.
      let plain = true;
      while (j < n && (escaped || line.charCodeAt(j) !== 0x22)) {
        const c = line.charCodeAt(j);
        escaped = !escaped && c === 0x5c;
        if (c === 0x5c || c < 0x20) plain = false;
        j++;
      }
      if (j >= n) return -1;
      if (plain) out[m++] = line.slice(i + 1, j);
      else {
        try {
          out[m++] = JSON.parse(line.slice(i, j + 1)) as string;
        } catch {
          return -1;
        }
      }
      i = j + 1;
    } else {
      const v0 = i;
      while (i < n && line.charCodeAt(i) > 0x20) i++;
      out[m++] = line.slice(v0, i);
    }
  }
  return m;
}

function logfmtValue(v: string): string {
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c <= 0x20 || c === 0x3d || c === 0x22 || c === 0xfffd) return JSON.stringify(v);
  }
  return v;
}

/** logfmt tokenizer: tokens alternate key and value; written back as logfmt. */
export function logfmtTokenizer(maxLineLength: number): LineTokenizer {
  const tokens: string[] = [];
  const out: Tokens = { tokens, spacesAfter: null };
  return {
    tokenize(line) {
      if (line.length > maxLineLength) return null;
      const n = scanLogfmt(line, tokens);
      if (n < 0) return null;
      tokens.length = n;
      for (let i = 0; i < n; i += 2) if (isVariableKey(tokens[i] as string)) tokens[i + 1] = PLACEHOLDER;
      return out;
    },
    join(tokens) {
      const parts: string[] = [];
      for (let i = 0; i < tokens.length; i += 2) parts.push(`${tokens[i]}=${logfmtValue(tokens[i + 1] ?? '')}`);
      return collapsePlaceholders(parts.join(' '));
    },
  };
}

/** End of the JSON value starting at `i` (a string's closing quote + 1, a container's closer + 1), or -1. */
function skipJsonValue(s: string, i: number): number {
  const c = s[i];
  if (c === '"') {
    for (let j = i + 1; j < s.length; j++) {
      if (s[j] === '\\') j++;
      else if (s[j] === '"') return j + 1;
    }
    return -1;
  }
  if (c === '{' || c === '[') {
    let depth = 0;
    for (let j = i; j < s.length; j++) {
      const d = s[j];
      if (d === '"') {
        const end = skipJsonValue(s, j);
        if (end < 0) return -1;
        j = end - 1;
      } else if (d === '{' || d === '[') depth++;
      else if (d === '}' || d === ']') {
        depth--;
        if (depth === 0) return j + 1;
      }
    }
    return -1;
  }
  let j = i;
  while (j < s.length && s[j] !== ',' && s[j] !== '}' && !/\s/.test(s[j] as string)) j++;
  return j === i ? -1 : j;
}

function skipSpace(s: string, i: number): number {
  while (i < s.length && (s[i] === ' ' || s[i] === '\t' || s[i] === '\n' || s[i] === '\r')) i++;
  return i;
}

/** The index in `fields` of the key whose quoted text is line[from, to), or -1. */
function fieldIndex(line: string, from: number, to: number, fields: readonly string[]): number {
  for (let f = 0; f < fields.length; f++) {
    const name = fields[f] as string;
    if (name.length === to - from && line.startsWith(name, from)) return f;
  }
  return -1;
}

/**
 * The raw text (escapes kept as written) of the first of `fields`, in their order, that a JSON
 * object line has as a top-level string (a key's first occurrence counts); undefined when it has
 * none, null when the line does not scan.
 */
export function firstStringField(line: string, fields: readonly string[], seen = new Uint8Array(fields.length)): string | undefined | null {
  let best = fields.length;
  let bestText: string | undefined;
  seen.fill(0);
  let i = skipSpace(line, 0);
  if (line[i] !== '{') return null;
  i = skipSpace(line, i + 1);
  if (line[i] === '}') return undefined;
  for (;;) {
    if (line[i] !== '"') return null;
    const keyEnd = skipJsonValue(line, i);
    if (keyEnd < 0) return null;
    const f = fieldIndex(line, i + 1, keyEnd - 1, fields);
    i = skipSpace(line, keyEnd);
    if (line[i] !== ':') return null;
    i = skipSpace(line, i + 1);
    const end = skipJsonValue(line, i);
    if (end < 0) return null;
    if (f >= 0 && seen[f] === 0) {
      seen[f] = 1;
      if (f < best && line[i] === '"') {
        best = f;
        bestText = line.slice(i + 1, end - 1);
      }
    }
    i = skipSpace(line, end);
    if (line[i] === '}') return bestText;
    if (line[i] !== ',') return null;
    i = skipSpace(line, i + 1);
  }
}

/** JSON tokenizer: the first of `fields` the line has as a string, cut as plain text. */
export function jsonTokenizer(maxLineLength: number, fields: readonly string[]): LineTokenizer {
  const scratch = new Scratch();
  const seen = new Uint8Array(fields.length);
  return {
    tokenize(line) {
      const text = firstStringField(line, fields, seen);
      if (text === null || text === undefined) return null;
      return text.length > maxLineLength ? null : tokenizePunctuation(text, scratch);
    },
    join: (tokens, spacesAfter) => collapsePlaceholders(`${PLACEHOLDER}${joinPunctuation(tokens, spacesAfter)}${PLACEHOLDER}`),
  };
}

/** The tokenizer for a stream whose first line has `format`. */
export function tokenizerFor(format: LogFormat, maxLineLength: number, jsonFields: readonly string[]): LineTokenizer {
  switch (format) {
    case 'json': return jsonTokenizer(maxLineLength, jsonFields);
    case 'logfmt': return logfmtTokenizer(maxLineLength);
    case 'unknown': return punctuationTokenizer(maxLineLength);
  }
}
