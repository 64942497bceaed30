/**
 * Loki's logfmt stage (pkg/logql/log/logfmt decoder and LogfmtParser): `key=value` pairs,
 * quoted values with JSON-style escapes, keys sanitised, empty values dropped unless
 * `--keep-empty`, and with `--strict` the first syntax error stops parsing and sets
 * `__error__=LogfmtParserErr`. Pure.
 */
import { ERROR_LABEL, type LabelsBuilder } from './labels-builder.js';
import { sanitizeLabelKey } from '../../../schemas/go/index.js';

/** Loki's `__error__` value for logfmt failures. */
export const LOGFMT_PARSER_ERR = 'LogfmtParserErr';

/**
 * A logfmt decoder over one line (Loki's logfmt.Decoder). `scan` reads the next pair and leaves
 * its key and value as positions in the line, so a pair nobody asks for makes no string.
 */
export class LogfmtDecoder {
  pos = 0;
  /** The key of the last pair scanned: line[keyStart, keyEnd). */
  keyStart = 0;
  keyEnd = 0;
  /** The value: none (null), the plain text line[valueStart, valueEnd), or an unquoted string. */
  private valueKind: 0 | 1 | 2 = 0;
  private valueStart = 0;
  private valueEnd = 0;
  private quoted = '';
  private errPos = -1;
  private errMsg = '';

  constructor(private readonly line: string) {}

  /** True at end of line. */
  eol(): boolean {
    return this.pos >= this.line.length;
  }

  /** The last syntax error, as Loki's decoder words it (with its byte position), or null. */
  get err(): string | null {
    if (this.errPos < 0) return null;
    return `logfmt syntax error at pos ${Buffer.byteLength(this.line.slice(0, this.errPos)) + 1} : ${this.errMsg}`;
  }

  /** The key of the last pair. */
  key(): string {
    return this.line.slice(this.keyStart, this.keyEnd);
  }

  /** True when the last pair's key is exactly `name` (no string made). */
  keyIs(name: string): boolean {
    return this.keyEnd - this.keyStart === name.length && this.line.startsWith(name, this.keyStart);
  }

  /** The value of the last pair; null when it has none. */
  value(): string | null {
    switch (this.valueKind) {
      case 0: return null;
      case 1: return this.line.slice(this.valueStart, this.valueEnd);
      case 2: return this.quoted;
    }
  }

  private errorAt(msg: string): void {
    this.errPos = this.pos;
    this.errMsg = msg;
  }

  private skipValue(): false {
    const s = this.line;
    while (this.pos < s.length && s.charCodeAt(this.pos) > 0x20) this.pos++;
    return false;
  }

  /** Scan the next pair (Loki's ScanKeyval); false when it is malformed or the line ended. */
  scan(): boolean {
    const s = this.line;
    while (this.pos < s.length && s.charCodeAt(this.pos) <= 0x20) this.pos++;
    if (this.pos >= s.length) return false;
    const start = this.pos;
    this.valueKind = 0;
    for (; this.pos < s.length; this.pos++) {
      const c = s.charCodeAt(this.pos);
      if (c === 0x3d) {
        if (this.pos === start) {
          this.errorAt(`unexpected '='`);
          return this.skipValue();
        }
        this.keyStart = start;
        this.keyEnd = this.pos;
        const bad = s.indexOf('\ufffd', start);
        if (bad >= 0 && bad < this.pos) {
          this.errorAt('invalid key');
          return this.skipValue();
        }
        return this.scanValue();
      }
      if (c === 0x22) {
        this.errorAt(`unexpected '"'`);
        return this.skipValue();
      }
      if (c <= 0x20) return this.bareKey(start, this.pos);
    }
    return this.bareKey(start, s.length);
  }

  private bareKey(start: number, end: number): boolean {
    const bad = this.line.indexOf('\ufffd', start);
    if (bad >= 0 && bad < end) {
      this.errorAt('invalid key');
      return false;
    }
    this.keyStart = start;
    this.keyEnd = end;
    return true;
  }

  private scanValue(): boolean {
    const s = this.line;
    this.pos++;
    if (this.pos >= s.length) return true;
    const c0 = s.charCodeAt(this.pos);
    if (c0 <= 0x20) return true;
    if (c0 === 0x22) return this.scanQuoted();
    const start = this.pos;
    for (; this.pos < s.length; this.pos++) {
      const c = s.charCodeAt(this.pos);
      if (c === 0x3d || c === 0x22) {
        this.errorAt(`unexpected '${c === 0x3d ? '=' : '"'}'`);
        return this.skipValue();
      }
      if (c <= 0x20) break;
    }
    if (this.pos > start) {
      this.valueKind = 1;
      this.valueStart = start;
      this.valueEnd = this.pos;
    }
    return true;
  }

  private scanQuoted(): boolean {
    const s = this.line;
    const start = this.pos;
    let hasEsc = false;
    let esc = false;
    for (let p = this.pos + 1; p < s.length; p++) {
      const c = s.charCodeAt(p);
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
          }
          return true;
        }
        const v = unquoteLogfmt(s.slice(start + 1, p));
        if (v === null) {
          this.errorAt('invalid quoted value');
          return false;
        }
        this.valueKind = 2;
        this.quoted = v;
        return true;
      }
    }
    this.pos = s.length;
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

/** True for a UTF-16 unit of [A-Za-z0-9_]. */
function isLabelCode(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) || c === 0x5f;
}

/**
 * True when the decoder's current key may sanitise to one of `names` (sanitizeLabelKey: `_` before a
 * leading digit, `_` for each character outside [A-Za-z0-9_]); exact for ASCII keys, true for any
 * other. Lets a hinted parser skip a pair without making its key string.
 */
function mayBeOneOf(dec: LogfmtDecoder, line: string, names: readonly string[]): boolean {
  const start = dec.keyStart;
  const end = dec.keyEnd;
  // sanitising never lengthens a key by more than the `_` before a leading digit
  let fits = false;
  for (const n of names) if (n.length <= end - start + 1) fits = true;
  if (!fits) return false;
  for (let i = start; i < end; i++) if (line.charCodeAt(i) > 0x7f) return true;
  const c0 = line.charCodeAt(start);
  const lead = c0 >= 0x30 && c0 <= 0x39 ? 1 : 0;
  for (const n of names) {
    if (n.length !== end - start + lead || (lead === 1 && n.charCodeAt(0) !== 0x5f)) continue;
    let same = true;
    for (let i = start; i < end && same; i++) {
      const c = line.charCodeAt(i);
      same = n.charCodeAt(i - start + lead) === (isLabelCode(c) ? c : 0x5f);
    }
    if (same) return true;
  }
  return false;
}

/**
 * Visit each key/value pair of a logfmt line until `visit` returns false; the visitor reads the
 * pair from the decoder. Pairs that do not scan are skipped, or with `strict` end the walk.
 * Returns the decoder's error (null when none or not strict).
 */
function eachLogfmtPair(line: string, strict: boolean, visit: (dec: LogfmtDecoder) => boolean): string | null {
  const dec = new LogfmtDecoder(line);
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
 * `| logfmt [--strict] [--keep-empty]`, extracting only what the query's hints ask for (Loki's
 * LogfmtParser). Returns false when a label the query filters on fails its filter (the line is
 * dropped).
 */
export function parseLogfmtLine(line: string, lbs: LabelsBuilder, strict: boolean, keepEmpty: boolean): boolean {
  if (lbs.hasNothingToExtract()) return true;
  const required = lbs.hints.required;
  let keep = true;
  const err = eachLogfmtPair(line, strict, (dec) => {
    if (required !== null && !mayBeOneOf(dec, line, required)) return true;
    const sanitized = sanitizeLabelKey(dec.key(), true);
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

/** `| logfmt name="key", …`: extract only the named keys (absent ones become empty labels), as Loki's LogfmtExpressionParser. */
export function extractLogfmtKeys(line: string, lbs: LabelsBuilder, ids: readonly string[], keys: readonly string[], strict: boolean): void {
  if (lbs.hasNothingToExtract()) return;
  for (const id of ids) if (!lbs.baseHas(id) && !lbs.hasStructuredMetadata(id)) lbs.set('parsed', id, '');
  const err = eachLogfmtPair(line, strict, (dec) => {
    if (!mayBeOneOf(dec, line, keys)) return true;
    const k = keys.indexOf(sanitizeLabelKey(dec.key(), true));
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
