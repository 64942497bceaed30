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

/** One scanned pair: `ok` false when the pair is malformed (then `error` may be set). */
interface Scanned {
  ok: boolean;
  key: string | null;
  value: string | null;
}

/** A logfmt decoder over one line. */
export class LogfmtDecoder {
  pos = 0;
  err: string | null = null;

  constructor(private readonly line: string) {}

  /** True at end of line. */
  eol(): boolean {
    return this.pos >= this.line.length;
  }

  private errorAt(msg: string): void {
    const bytePos = Buffer.byteLength(this.line.slice(0, this.pos)) + 1;
    this.err = `logfmt syntax error at pos ${bytePos} : ${msg}`;
  }

  private skipValue(): Scanned {
    const s = this.line;
    while (this.pos < s.length && s.charCodeAt(this.pos) > 0x20) this.pos++;
    return { ok: false, key: null, value: null };
  }

  /** Scan the next pair (Loki's ScanKeyval). */
  scan(): Scanned {
    const s = this.line;
    while (this.pos < s.length && s.charCodeAt(this.pos) <= 0x20) this.pos++;
    if (this.pos >= s.length) return { ok: false, key: null, value: null };
    const start = this.pos;
    let key: string | null = null;
    for (; this.pos < s.length; this.pos++) {
      const c = s.charCodeAt(this.pos);
      if (c === 0x3d) {
        if (this.pos > start) key = s.slice(start, this.pos);
        if (key !== null && key.includes('\ufffd')) {
          this.errorAt('invalid key');
          return this.skipValue();
        }
        if (key === null) {
          this.errorAt(`unexpected '='`);
          return this.skipValue();
        }
        return this.scanValue(key);
      }
      if (c === 0x22) {
        this.errorAt(`unexpected '"'`);
        return this.skipValue();
      }
      if (c <= 0x20) return this.bareKey(s.slice(start, this.pos));
    }
    return this.bareKey(s.slice(start));
  }

  private bareKey(key: string): Scanned {
    if (key.includes('\ufffd')) {
      this.errorAt('invalid key');
      return { ok: false, key: null, value: null };
    }
    return { ok: true, key, value: null };
  }

  private scanValue(key: string): Scanned {
    const s = this.line;
    this.pos++;
    if (this.pos >= s.length) return { ok: true, key, value: null };
    const c0 = s.charCodeAt(this.pos);
    if (c0 <= 0x20) return { ok: true, key, value: null };
    if (c0 === 0x22) return this.scanQuoted(key);
    const start = this.pos;
    for (; this.pos < s.length; this.pos++) {
      const c = s.charCodeAt(this.pos);
      if (c === 0x3d || c === 0x22) {
        this.errorAt(`unexpected '${c === 0x3d ? '=' : '"'}'`);
        return this.skipValue();
      }
      if (c <= 0x20) return { ok: true, key, value: this.pos > start ? s.slice(start, this.pos) : null };
    }
    return { ok: true, key, value: this.pos > start ? s.slice(start) : null };
  }

  private scanQuoted(key: string): Scanned {
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
        if (!hasEsc) return { ok: true, key, value: p - 1 > start ? s.slice(start + 1, p) : null };
        const v = unquoteLogfmt(s.slice(start + 1, p));
        if (v === null) {
          this.errorAt('invalid quoted value');
          return { ok: false, key: null, value: null };
        }
        return { ok: true, key, value: v };
      }
    }
    this.pos = s.length;
    this.errorAt('unterminated quoted value');
    return { ok: false, key: null, value: null };
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
 * Visit each key/value pair of a logfmt line, keys sanitised, until `visit` returns false. Pairs
 * that do not scan are skipped, or with `strict` end the walk. Returns the decoder's error (null
 * when none or not strict).
 */
function eachLogfmtPair(line: string, strict: boolean, visit: (key: string, value: string | null) => boolean): string | null {
  const dec = new LogfmtDecoder(line);
  while (!dec.eol()) {
    const r = dec.scan();
    if (!r.ok) {
      if (strict) break;
      continue;
    }
    if (r.key !== null && !visit(sanitizeLabelKey(r.key, true), r.value)) break;
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
  let keep = true;
  const err = eachLogfmtPair(line, strict, (sanitized, value) => {
    if (sanitized === '') return true;
    const key = lbs.parsedName(sanitized);
    if (!lbs.shouldExtract(key) || lbs.wasExtracted(key)) return true;
    let val = value ?? '';
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
  const err = eachLogfmtPair(line, strict, (sanitized, value) => {
    const k = keys.indexOf(sanitized);
    if (k < 0) return true;
    const id = ids[k] as string;
    const val = value !== null && value.includes('\ufffd') ? '' : (value ?? '');
    const name = lbs.parsedName(id);
    if (name !== id && (lbs.wasExtracted(name) || !lbs.shouldExtract(name))) return false;
    lbs.set('parsed', name, val);
    return !lbs.allRequiredExtracted();
  });
  if (err !== null) lbs.setParserError(LOGFMT_PARSER_ERR, err);
}
