/**
 * The LogQL lexer, token for token as Loki's (pkg/logql/syntax/lex.go): keywords are
 * case-insensitive, function names are tokens only when a `(` (or `by`/`without (`) follows,
 * numbers followed by a unit become DURATION or BYTES, `[…]` is one RANGE token, `#` starts a
 * comment. Errors are collected with the scanner position, as Loki reports them. Pure.
 */
import { humanizeParseBytes, parseGoDuration, parsePromDuration, unquoteGo, type GoParse } from '../../../schemas/go/index.js';
import {
  EOF, SCAN_FLOAT, SCAN_INT, SCAN_RAW_STRING, SCAN_STRING, Scanner,
} from './scanner.js';
import { FUNCTION_TOKENS, PARSER_FLAGS, TEXT_TOKENS, TOK } from './tokens.js';

/** Loki's lexer duration rule (pkg/logql/syntax/lex.go tryScanDuration): Prometheus' model.ParseDuration first, then Go's time.ParseDuration. */
function parseLogqlDuration(s: string): GoParse<bigint> {
  const prom = parsePromDuration(s);
  return prom.ok ? prom : parseGoDuration(s);
}

/** One token with its semantic value and the scanner position after lexing it. */
export interface Token {
  readonly tok: number;
  readonly str: string;
  readonly durNs: bigint;
  readonly bytes: number;
  readonly line: number;
  readonly col: number;
}

/** A lexer or parser error with Loki's position (line 0, col 0 = none). */
export interface PositionedError {
  readonly msg: string;
  readonly line: number;
  readonly col: number;
}

const isSpace = (c: number): boolean => c === 0x20 || (c >= 0x09 && c <= 0x0d) || c === 0x85 || c === 0xa0 || (c > 0xff && /^\s$/u.test(String.fromCodePoint(c)));
const NUMBER_RE = /^\p{N}$/u;
const LETTER_RE = /^\p{L}$/u;
const isNumberRune = (c: number): boolean => (c >= 0x30 && c <= 0x39) || (c > 0x7f && NUMBER_RE.test(String.fromCodePoint(c)));
const isLetterRune = (c: number): boolean => c >= 0 && LETTER_RE.test(String.fromCodePoint(c));
const DURATION_RUNES = new Set([...'nuµmshdwy'].map((c) => c.codePointAt(0) as number));
const BYTES_RUNES = new Set([...'BikKMGTP'].map((c) => c.codePointAt(0) as number));
const runeText = (c: number): string => (c < 0 ? '\ufffd' : String.fromCodePoint(c));

/** Tokenizes one query; `errors` gathers lexer errors in order. */
export class Lexer {
  readonly errors: PositionedError[] = [];
  private readonly sc: Scanner;

  constructor(input: string) {
    const cps: number[] = [];
    for (let i = 0; i < input.length; i++) {
      const c = input.codePointAt(i) as number;
      cps.push(c);
      if (c > 0xffff) i++;
    }
    this.sc = new Scanner(cps, (msg, line, col) => this.errors.push({ msg, line, col }));
  }

  /** Record an error at the current scanner position (Loki's lexer.Error). */
  error(msg: string): void {
    this.errors.push({ msg, line: this.sc.Line, col: this.sc.Column });
  }

  private token(tok: number, value: { str?: string; durNs?: bigint; bytes?: number } = {}): Token {
    return { tok, str: value.str ?? '', durNs: value.durNs ?? 0n, bytes: value.bytes ?? 0, line: this.sc.Line, col: this.sc.Column };
  }

  /** The next token; `$end` (1) at the end or after an unrecoverable lexer error. */
  lex(): Token {
    const sc = this.sc;
    const r = sc.scan();
    if (r === 0x23) {
      for (let n = sc.peek(); n !== 0x0a && n !== EOF; n = sc.next()) {
        // skip the comment
      }
      return this.lex();
    }
    if (r === EOF) return this.token(TOK.$end);
    if (r === SCAN_INT || r === SCAN_FLOAT) {
      const text = sc.tokenText();
      const dur = this.tryDuration(text);
      if (dur !== null) return this.token(TOK.DURATION, { durNs: dur });
      const bytes = this.tryBytes(text);
      if (bytes !== null) return this.token(TOK.BYTES, { bytes });
      return this.token(TOK.NUMBER, { str: text });
    }
    if (r === 0x2d) {
      if (sc.peek() === 0x2d) {
        const flag = this.tryFlag();
        if (flag !== null) return this.token(TOK.FUNCTION_FLAG, { str: flag });
      }
      const dur = this.tryDuration(sc.tokenText());
      if (dur !== null) return this.token(TOK.DURATION, { durNs: dur });
    }
    if (r === SCAN_STRING || r === SCAN_RAW_STRING) {
      const text = sc.tokenText();
      if (/\p{Cs}/u.test(text)) {
        this.error('invalid UTF-8 rune');
        return this.token(TOK.$end);
      }
      const value = unquoteGo(text);
      if (value === null) {
        this.error('invalid syntax');
        return this.token(TOK.$end);
      }
      return this.token(TOK.STRING, { str: value });
    }
    if (r === 0x5b) {
      let buf = '';
      for (let c = sc.next(); c !== EOF; c = sc.next()) {
        if (c === 0x5d) {
          const d = parsePromDuration(buf);
          if (!d.ok) {
            this.error(d.error);
            return this.token(TOK.$end);
          }
          return this.token(TOK.RANGE, { durNs: d.value });
        }
        buf += runeText(c);
      }
      this.error("missing closing ']' in duration");
      return this.token(TOK.$end);
    }
    const text = sc.tokenText();
    const textLower = text.toLowerCase();
    const withNext = (text + runeText(sc.peek())).toLowerCase();
    const fnNext = FUNCTION_TOKENS.get(withNext);
    if (fnNext !== undefined) {
      const copy = sc.clone();
      copy.next();
      if (isFunction(copy)) {
        sc.next();
        return this.token(fnNext);
      }
    }
    const fn = FUNCTION_TOKENS.get(textLower);
    if (fn !== undefined) {
      if (!isFunction(sc.clone())) return this.token(TOK.IDENTIFIER, { str: text });
      return this.token(fn);
    }
    const pair = TEXT_TOKENS.get(withNext);
    if (pair !== undefined) {
      sc.next();
      return this.token(pair);
    }
    const single = TEXT_TOKENS.get(textLower);
    if (single !== undefined) return this.token(single);
    return this.token(TOK.IDENTIFIER, { str: text });
  }

  private tryFlag(): string | null {
    const copy = this.sc.clone();
    let flag = this.sc.tokenText();
    let consumed = 0;
    for (let r = copy.peek(); isLetterRune(r) || r === 0x2d; r = copy.peek()) {
      flag += runeText(r);
      copy.next();
      consumed++;
    }
    if (!PARSER_FLAGS.has(flag)) return null;
    for (let i = 0; i < consumed; i++) this.sc.next();
    return flag;
  }

  private tryDuration(prefix: string): bigint | null {
    const copy = this.sc.clone();
    let text = prefix;
    let consumed = 0;
    for (let r = copy.peek(); r !== EOF && !isSpace(r); r = copy.peek()) {
      if (!isNumberRune(r) && !DURATION_RUNES.has(r) && r !== 0x2e) break;
      text += runeText(r);
      copy.next();
      consumed++;
    }
    if (consumed === 0) return null;
    const d = parseLogqlDuration(text);
    if (!d.ok) return null;
    for (let i = 0; i < consumed; i++) this.sc.next();
    return d.value;
  }

  private tryBytes(prefix: string): number | null {
    const copy = this.sc.clone();
    let text = prefix;
    let consumed = 0;
    for (let r = copy.peek(); r !== EOF && !isSpace(r); r = copy.peek()) {
      if (!isNumberRune(r) && !BYTES_RUNES.has(r) && r !== 0x2e) break;
      text += runeText(r);
      copy.next();
      consumed++;
    }
    if (consumed === 0) return null;
    const b = humanizeParseBytes(text);
    if (!b.ok) return null;
    for (let i = 0; i < consumed; i++) this.sc.next();
    return b.value;
  }
}

function skipSpace(sc: Scanner): void {
  for (let n = sc.peek(); n !== EOF; n = sc.peek()) {
    if (!isSpace(n)) return;
    sc.next();
  }
}

/** Loki's isFunction: after optional space, `(` follows, or `by`/`without` then `(`. */
function isFunction(sc: Scanner): boolean {
  skipSpace(sc);
  let sb = '';
  for (let r = sc.next(); r !== EOF; r = sc.next()) {
    sb += runeText(r);
    // Longer prefixes can never match; Loki scans on to the end of input and answers false too.
    if (sb.length > 7) return false;
    const l = sb.toLowerCase();
    if (l === '(') return true;
    if (l === 'by' || l === 'without') {
      skipSpace(sc);
      return sc.next() === 0x28;
    }
  }
  return false;
}
