/**
 * Loki's logfmt stage (pkg/logql/log/logfmt decoder and LogfmtParser): `key=value` pairs,
 * quoted values with JSON-style escapes, keys sanitised, empty values dropped unless
 * `--keep-empty`, and with `--strict` the first syntax error stops parsing and sets
 * `__error__=LogfmtParserErr`. Pure.
 */
import { asciiKeyName, type KeyNames } from './key-names.js';
import { ERROR_LABEL, type LabelsBuilder } from './labels-builder.js';
import { sanitizeLabelKey } from '../../../schemas/go/index.js';

/** ASCII ranges up to this long are made into text by a loop (below it, a decoding call costs more). */
const SHORT_TEXT = 16;

/** Loki's `__error__` value for logfmt failures. */
export const LOGFMT_PARSER_ERR = 'LogfmtParserErr';

/**
 * A logfmt decoder over one line's UTF-8 bytes (Loki's logfmt.Decoder, which reads bytes too).
 * `scan` reads the next pair and leaves its key and value as byte positions, so a pair nobody
 * asks for makes no string. Delimiters are ASCII, so a key or value decoded on its own is the
 * text the whole line's decoding would give there.
 */
export class LogfmtDecoder {
  pos = 0;
  /** The key of the last pair scanned: line[keyStart, keyEnd). */
  keyStart = 0;
  keyEnd = 0;
  /** True when the key is ASCII. */
  keyAscii = true;
  /** The value: none (null), the plain bytes line[valueStart, valueEnd), or an unquoted string. */
  private valueKind: 0 | 1 | 2 = 0;
  private valueStart = 0;
  private valueEnd = 0;
  private valueAscii = true;
  private quoted = '';
  private errPos = -1;
  private errMsg = '';
  private readonly buf: Buffer;
  /** The line decoded as Latin-1 once, when first needed: for ASCII bytes, its slices are the text. */
  private latin1: string | null = null;

  /** The line is line[base, end) (all of `line` by default; positions are offsets into `line`). */
  constructor(
    private readonly line: Uint8Array,
    private readonly base = 0,
    private readonly end = line.length,
  ) {
    this.buf = Buffer.isBuffer(line) ? line : Buffer.from(line.buffer, line.byteOffset, line.byteLength);
    this.pos = base;
  }

  /**
   * line[start, end) as text (invalid UTF-8 becomes U+FFFD); `ascii` says it has no byte above
   * 0x7f. Short ASCII ranges are made by a loop (cheaper than a decoding call); longer ones are cut
   * from the line decoded once.
   */
  private textOf(start: number, end: number, ascii: boolean): string {
    if (!ascii) return this.buf.toString('utf8', start, end);
    if (this.latin1 === null && end - start <= SHORT_TEXT) {
      let t = '';
      for (let i = start; i < end; i++) t += String.fromCharCode(this.line[i] as number);
      return t;
    }
    this.latin1 ??= this.buf.toString('latin1', this.base, this.end);
    return this.latin1.slice(start - this.base, end - this.base);
  }

  /** True at end of line. */
  eol(): boolean {
    return this.pos >= this.end;
  }

  /** The last syntax error, as Loki's decoder words it (with its 1-based byte position in the line), or null. */
  get err(): string | null {
    if (this.errPos < 0) return null;
    return `logfmt syntax error at pos ${this.errPos - this.base + 1} : ${this.errMsg}`;
  }

  /** The key of the last pair. */
  key(): string {
    return this.textOf(this.keyStart, this.keyEnd, this.keyAscii);
  }

  /** The value of the last pair; null when it has none. */
  value(): string | null {
    switch (this.valueKind) {
      case 0: return null;
      case 1: return this.textOf(this.valueStart, this.valueEnd, this.valueAscii);
      case 2: return this.quoted;
    }
  }

  private errorAt(msg: string): void {
    this.errPos = this.pos;
    this.errMsg = msg;
  }

  private skipValue(): false {
    const s = this.line;
    let p = this.pos;
    while (p < this.end && (s[p] as number) > 0x20) p++;
    this.pos = p;
    return false;
  }

  /** True when the key bytes decode with a U+FFFD (invalid UTF-8, or the character itself). */
  private isInvalidKey(start: number, end: number, high: number): boolean {
    return high >= 0x80 && this.textOf(start, end, false).includes('\ufffd');
  }

  /** Scan the next pair (Loki's ScanKeyval); false when it is malformed or the line ended. */
  scan(): boolean {
    const s = this.line;
    const n = this.end;
    let p = this.pos;
    while (p < n && (s[p] as number) <= 0x20) p++;
    this.pos = p;
    if (p >= n) return false;
    const start = p;
    this.valueKind = 0;
    let high = 0;
    let c = 0;
    // the key runs to the first '=', '"' or space (positions kept in locals: the loop is hot)
    for (; p < n; p++) {
      c = s[p] as number;
      if (c === 0x3d || c === 0x22 || c <= 0x20) break;
      high |= c;
    }
    this.pos = p;
    if (p >= n || c <= 0x20) return this.bareKey(start, p, high);
    if (c === 0x22) {
      this.errorAt(`unexpected '"'`);
      return this.skipValue();
    }
    if (p === start) {
      this.errorAt(`unexpected '='`);
      return this.skipValue();
    }
    this.keyStart = start;
    this.keyEnd = p;
    this.keyAscii = high < 0x80;
    if (this.isInvalidKey(start, p, high)) {
      this.errorAt('invalid key');
      return this.skipValue();
    }
    return this.scanValue();
  }

  private bareKey(start: number, end: number, high: number): boolean {
    if (this.isInvalidKey(start, end, high)) {
      this.errorAt('invalid key');
      return false;
    }
    this.keyStart = start;
    this.keyEnd = end;
    this.keyAscii = high < 0x80;
    return true;
  }

  private scanValue(): boolean {
    const s = this.line;
    const n = this.end;
    const start = ++this.pos;
    if (start >= n) return true;
    const c0 = s[start] as number;
    if (c0 <= 0x20) return true;
    if (c0 === 0x22) return this.scanQuoted();
    let high = 0;
    let p = start;
    for (; p < n; p++) {
      const c = s[p] as number;
      if (c <= 0x20) break;
      if (c === 0x3d || c === 0x22) {
        this.pos = p;
        this.errorAt(`unexpected '${c === 0x3d ? '=' : '"'}'`);
        return this.skipValue();
      }
      high |= c;
    }
    this.pos = p;
    this.valueKind = 1;
    this.valueStart = start;
    this.valueEnd = p;
    this.valueAscii = high < 0x80;
    return true;
  }

  private scanQuoted(): boolean {
    const s = this.line;
    const start = this.pos;
    let hasEsc = false;
    let esc = false;
    let high = 0;
    for (let p = this.pos + 1; p < this.end; p++) {
      const c = s[p] as number;
      high |= c;
      if (esc) esc = false;
      else if (c === 0x5c) {
        hasEsc = true;
        esc = true;
      } else if (c === 0x22) {
        this.pos = p + 1;
        if (!hasEsc) {
          if (p - 1 > start) {
            this.valueKind = 1;
            this.valueStart = start + 1;
            this.valueEnd = p;
            this.valueAscii = high < 0x80;
          }
          return true;
        }
        const v = unquoteLogfmt(this.textOf(start + 1, p, high < 0x80));
        if (v === null) {
          this.errorAt('invalid quoted value');
          return false;
        }
        this.valueKind = 2;
        this.quoted = v;
        return true;
      }
    }
    this.pos = this.end;
    this.errorAt('unterminated quoted value');
    return false;
  }
}

/** The logfmt decoder's unquoting (JSON escapes plus `\'`); null when invalid. */
function unquoteLogfmt(body: string): string | null {
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const ch = body[i] as string;
    if (ch === '"') return null;
    if (ch !== '\\') {
      out += ch;
      continue;
    }
    const e = body[++i];
    switch (e) {
      case '"': case '\\': case '/': case "'": out += e; break;
      case 'b': out += '\b'; break;
      case 'f': out += '\f'; break;
      case 'n': out += '\n'; break;
      case 'r': out += '\r'; break;
      case 't': out += '\t'; break;
      case 'u': {
        const hex = body.slice(i + 1, i + 5);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) return null;
        const cp = parseInt(hex, 16);
        out += cp >= 0xd800 && cp <= 0xdfff ? '\ufffd' : String.fromCharCode(cp);
        i += 4;
        break;
      }
      default:
        return null;
    }
  }
  return out;
}

/**
 * Which of the names the decoder's current key sanitises to: the name, null when none, or
 * undefined when the key is not ASCII (then only sanitising it tells). Lets a hinted parser skip a
 * pair, or name it, without making its key string.
 */
function requiredKeyName(dec: LogfmtDecoder, line: Uint8Array, keys: KeyNames): string | null | undefined {
  const start = dec.keyStart;
  const end = dec.keyEnd;
  if (end === start || keys.mayStart[line[start] as number] === 0) return null;
  // sanitising never lengthens a key by more than the `_` before a leading digit
  let fits = false;
  for (const n of keys.names) if (n.length <= end - start + 1) fits = true;
  if (!fits) return null;
  if (!dec.keyAscii) return undefined;
  return asciiKeyName(line, start, end, keys);
}

/**
 * Visit each key/value pair of a logfmt line until `visit` returns false; the visitor reads the
 * pair from the decoder. Pairs that do not scan are skipped, or with `strict` end the walk.
 * Returns the decoder's error (null when none or not strict).
 */
function eachLogfmtPair(line: Uint8Array, from: number, to: number, strict: boolean, visit: (dec: LogfmtDecoder) => boolean): string | null {
  const dec = new LogfmtDecoder(line, from, to);
  while (!dec.eol()) {
    if (!dec.scan()) {
      if (strict) break;
      continue;
    }
    if (!visit(dec)) break;
  }
  return strict ? dec.err : null;
}

/**
 * `| logfmt [--strict] [--keep-empty]` over a line's UTF-8 bytes, extracting only what the query's
 * hints ask for (Loki's LogfmtParser). Returns false when a label the query filters on fails its
 * filter (the line is dropped).
 */
export function parseLogfmtLine(line: Uint8Array, lbs: LabelsBuilder, strict: boolean, keepEmpty: boolean, from = 0, to = line.length): boolean {
  if (lbs.hasNothingToExtract()) return true;
  const required = lbs.hints.requiredKeys;
  let keep = true;
  const err = eachLogfmtPair(line, from, to, strict, (dec) => {
    const known = required === null ? undefined : requiredKeyName(dec, line, required);
    if (known === null) return true;
    const sanitized = known ?? sanitizeLabelKey(dec.key(), true);
    if (sanitized === '') return true;
    const key = lbs.parsedName(sanitized);
    if (!lbs.shouldExtract(key) || lbs.wasExtracted(key)) return true;
    let val = dec.value() ?? '';
    if (val.includes('\ufffd')) val = val.replace(/\ufffd/g, ' ');
    if (!keepEmpty && val.length === 0) return true;
    lbs.set('parsed', key, val);
    if (!lbs.passesFilterOn(key)) return (keep = false);
    return !lbs.allRequiredExtracted();
  });
  if (!keep) return false;
  if (err !== null) {
    lbs.setParserError(LOGFMT_PARSER_ERR, err);
    return lbs.passesFilterOn(ERROR_LABEL);
  }
  return true;
}

/** `| logfmt name="key", …` over a line's UTF-8 bytes: extract only the named keys (absent ones become empty labels), as Loki's LogfmtExpressionParser. */
export function extractLogfmtKeys(line: Uint8Array, lbs: LabelsBuilder, ids: readonly string[], keys: KeyNames, strict: boolean): void {
  if (lbs.hasNothingToExtract()) return;
  for (const id of ids) if (!lbs.baseHas(id) && !lbs.hasStructuredMetadata(id)) lbs.set('parsed', id, '');
  const err = eachLogfmtPair(line, 0, line.length, strict, (dec) => {
    const known = requiredKeyName(dec, line, keys);
    if (known === null) return true;
    const k = keys.names.indexOf(known ?? sanitizeLabelKey(dec.key(), true));
    if (k < 0) return true;
    const id = ids[k] as string;
    const value = dec.value();
    const val = value !== null && value.includes('\ufffd') ? '' : (value ?? '');
    const name = lbs.parsedName(id);
    if (name !== id && (lbs.wasExtracted(name) || !lbs.shouldExtract(name))) return false;
    lbs.set('parsed', name, val);
    return !lbs.allRequiredExtracted();
  });
  if (err !== null) lbs.setParserError(LOGFMT_PARSER_ERR, err);
}
