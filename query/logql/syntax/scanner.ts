/**
 * A character scanner with the behaviour of Go's text/scanner in GoTokens mode, which Loki's
 * LogQL lexer is built on: identifiers, numbers, "…"/'…'/`…` literals, comments skipped, and the
 * same token positions (line, column in runes) and error texts. Positions matter because Loki's
 * parse errors carry the scanner's line and column at the moment of the error. Pure.
 */

/** End of input. */
export const EOF = -1;
/** Token classes returned by `scan` (negative, as in Go); other tokens are the character itself. */
export const SCAN_IDENT = -2;
export const SCAN_INT = -3;
export const SCAN_FLOAT = -4;
export const SCAN_CHAR = -5;
export const SCAN_STRING = -6;
export const SCAN_RAW_STRING = -7;

/** Receives scanner errors together with the position fields at that moment. */
export type ScanErrorSink = (msg: string, line: number, column: number) => void;

const isDecimal = (c: number): boolean => c >= 0x30 && c <= 0x39;
const lower = (c: number): number => c | 0x20;
const isHex = (c: number): boolean => isDecimal(c) || (lower(c) >= 0x61 && lower(c) <= 0x66);
const LETTER = /^\p{L}$/u;
const DIGIT = /^\p{Nd}$/u;

function isIdentRune(c: number, i: number): boolean {
  if (c === 0x5f) return true;
  if (c < 0) return false;
  if (c < 0x80) {
    if ((c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a)) return true;
    return i > 0 && isDecimal(c);
  }
  const s = String.fromCodePoint(c);
  return LETTER.test(s) || (i > 0 && DIGIT.test(s));
}

/** Mutable scanner state; `clone` makes the look-ahead copies Loki's lexer takes. */
export class Scanner {
  private readonly src: readonly number[];
  private pos = 0;
  private line = 1;
  private column = 0;
  private lastLineLen = 0;
  private lastCharLen = 0;
  private ch = -2;
  private tokPos = -1;
  private tokEnd = 0;
  /** Start line of the most recent token (0 once `next` has been called since). */
  Line = 0;
  /** Start column of the most recent token. */
  Column = 0;

  constructor(
    src: readonly number[],
    private readonly onError: ScanErrorSink,
  ) {
    this.src = src;
  }

  /** A copy sharing the source, for look-ahead. */
  clone(): Scanner {
    const c = new Scanner(this.src, this.onError);
    Object.assign(c, this);
    return c;
  }

  /** Copy another scanner's position into this one (commit a look-ahead). */
  adopt(other: Scanner): void {
    Object.assign(this, other);
  }

  private error(msg: string): void {
    this.tokEnd = this.pos - this.lastCharLen;
    this.onError(msg, this.Line, this.Column);
  }

  private read(): number {
    if (this.pos >= this.src.length) {
      if (this.lastCharLen > 0) this.column++;
      this.lastCharLen = 0;
      return EOF;
    }
    const ch = this.src[this.pos] as number;
    this.pos++;
    this.lastCharLen = 1;
    this.column++;
    if (ch >= 0xd800 && ch <= 0xdfff) {
      this.error('invalid UTF-8 encoding');
      return 0xfffd;
    }
    if (ch === 0) this.error('invalid character NUL');
    else if (ch === 0x0a) {
      this.line++;
      this.lastLineLen = this.column;
      this.column = 0;
    }
    return ch;
  }

  /** The next character without consuming it. */
  peek(): number {
    if (this.ch === -2) {
      this.ch = this.read();
      if (this.ch === 0xfeff) this.ch = this.read();
    }
    return this.ch;
  }

  /** Consume and return the next character; invalidates the token position (Line = 0). */
  next(): number {
    this.tokPos = -1;
    this.Line = 0;
    const ch = this.peek();
    if (ch !== EOF) this.ch = this.read();
    return ch;
  }

  /** Text of the most recently scanned token. */
  tokenText(): string {
    if (this.tokPos < 0) return '';
    const end = Math.max(this.tokEnd, this.tokPos);
    return String.fromCodePoint(...this.src.slice(this.tokPos, end));
  }

  /** Scan the next token, skipping white space and comments; returns a SCAN_* class or the character. */
  scan(): number {
    let ch = this.peek();
    this.tokPos = -1;
    this.Line = 0;
    for (;;) {
      while (ch === 0x20 || ch === 0x09 || ch === 0x0a || ch === 0x0d) ch = this.read();
      this.tokPos = this.pos - this.lastCharLen;
      if (this.column > 0) {
        this.Line = this.line;
        this.Column = this.column;
      } else {
        this.Line = this.line - 1;
        this.Column = this.lastLineLen;
      }
      let tok = ch;
      if (isIdentRune(ch, 0)) {
        tok = SCAN_IDENT;
        ch = this.read();
        for (let i = 1; isIdentRune(ch, i); i++) ch = this.read();
      } else if (isDecimal(ch)) {
        [tok, ch] = this.scanNumber(ch, false);
      } else if (ch === EOF) {
        // nothing
      } else if (ch === 0x22) {
        this.scanString(0x22);
        tok = SCAN_STRING;
        ch = this.read();
      } else if (ch === 0x27) {
        if (this.scanString(0x27) !== 1) this.error('invalid char literal');
        tok = SCAN_CHAR;
        ch = this.read();
      } else if (ch === 0x2e) {
        ch = this.read();
        if (isDecimal(ch)) [tok, ch] = this.scanNumber(ch, true);
      } else if (ch === 0x2f) {
        ch = this.read();
        if (ch === 0x2f || ch === 0x2a) {
          this.tokPos = -1;
          ch = this.scanComment(ch);
          continue;
        }
      } else if (ch === 0x60) {
        this.scanRawString();
        tok = SCAN_RAW_STRING;
        ch = this.read();
      } else {
        ch = this.read();
      }
      this.tokEnd = this.pos - this.lastCharLen;
      this.ch = ch;
      return tok;
    }
  }

  private digits(ch0: number, base: number, invalid: { ch: number }): [number, number] {
    let ch = ch0;
    let digsep = 0;
    if (base <= 10) {
      const max = 0x30 + base;
      while (isDecimal(ch) || ch === 0x5f) {
        let ds = 1;
        if (ch === 0x5f) ds = 2;
        else if (ch >= max && invalid.ch === 0) invalid.ch = ch;
        digsep |= ds;
        ch = this.read();
      }
    } else {
      while (isHex(ch) || ch === 0x5f) {
        digsep |= ch === 0x5f ? 2 : 1;
        ch = this.read();
      }
    }
    return [ch, digsep];
  }

  private scanNumber(ch0: number, seenDot0: boolean): [number, number] {
    let ch = ch0;
    let seenDot = seenDot0;
    let base = 10;
    let prefix = 0;
    let digsep = 0;
    const invalid = { ch: 0 };
    let tok = SCAN_INT;
    let ds = 0;
    if (!seenDot) {
      if (ch === 0x30) {
        ch = this.read();
        switch (lower(ch)) {
          case 0x78: ch = this.read(); base = 16; prefix = 0x78; break;
          case 0x6f: ch = this.read(); base = 8; prefix = 0x6f; break;
          case 0x62: {
            const p = this.peek();
            if (p === 0x30 || p === 0x31) {
              ch = this.read();
              base = 2;
              prefix = 0x62;
            }
            break;
          }
          default: base = 8; prefix = 0x30; digsep = 1;
        }
      }
      [ch, ds] = this.digits(ch, base, invalid);
      digsep |= ds;
      if (ch === 0x2e) {
        ch = this.read();
        seenDot = true;
      }
    }
    if (seenDot) {
      tok = SCAN_FLOAT;
      if (prefix === 0x6f || prefix === 0x62) this.error('invalid radix point in ' + litName(prefix));
      [ch, ds] = this.digits(ch, base, invalid);
      digsep |= ds;
    }
    if ((digsep & 1) === 0) this.error(litName(prefix) + ' has no digits');
    const e = lower(ch);
    if (e === 0x65 || (e === 0x70 && prefix === 0x78)) {
      if (e === 0x65 && prefix !== 0 && prefix !== 0x30) this.error(`'${String.fromCodePoint(ch)}' exponent requires decimal mantissa`);
      ch = this.read();
      tok = SCAN_FLOAT;
      if (ch === 0x2b || ch === 0x2d) ch = this.read();
      [ch, ds] = this.digits(ch, 10, { ch: 1 });
      digsep |= ds;
      if ((ds & 1) === 0) this.error('exponent has no digits');
    } else if (prefix === 0x78 && tok === SCAN_FLOAT) {
      this.error("hexadecimal mantissa requires a 'p' exponent");
    }
    if (tok === SCAN_INT && invalid.ch !== 0) this.error(`invalid digit '${String.fromCodePoint(invalid.ch)}' in ${litName(prefix)}`);
    if ((digsep & 2) !== 0) {
      this.tokEnd = this.pos - this.lastCharLen;
      if (invalidSeparator(this.tokenText()) >= 0) this.error("'_' must separate successive digits");
    }
    return [tok, ch];
  }

  private scanDigits(ch0: number, base: number, n0: number): number {
    let ch = ch0;
    let n = n0;
    while (n > 0 && digitVal(ch) < base) {
      ch = this.read();
      n--;
    }
    if (n > 0) this.error('invalid char escape');
    return ch;
  }

  private scanEscape(quote: number): number {
    let ch = this.read();
    switch (ch) {
      case 0x61: case 0x62: case 0x66: case 0x6e: case 0x72: case 0x74: case 0x76: case 0x5c: case quote:
        ch = this.read();
        break;
      case 0x30: case 0x31: case 0x32: case 0x33: case 0x34: case 0x35: case 0x36: case 0x37:
        ch = this.scanDigits(ch, 8, 3);
        break;
      case 0x78: ch = this.scanDigits(this.read(), 16, 2); break;
      case 0x75: ch = this.scanDigits(this.read(), 16, 4); break;
      case 0x55: ch = this.scanDigits(this.read(), 16, 8); break;
      default: this.error('invalid char escape');
    }
    return ch;
  }

  private scanString(quote: number): number {
    let ch = this.read();
    let n = 0;
    while (ch !== quote) {
      if (ch === 0x0a || ch < 0) {
        this.error('literal not terminated');
        return n;
      }
      ch = ch === 0x5c ? this.scanEscape(quote) : this.read();
      n++;
    }
    return n;
  }

  private scanRawString(): void {
    let ch = this.read();
    while (ch !== 0x60) {
      if (ch < 0) {
        this.error('literal not terminated');
        return;
      }
      ch = this.read();
    }
  }

  private scanComment(ch0: number): number {
    let ch = ch0;
    if (ch === 0x2f) {
      ch = this.read();
      while (ch !== 0x0a && ch >= 0) ch = this.read();
      return ch;
    }
    ch = this.read();
    for (;;) {
      if (ch < 0) {
        this.error('comment not terminated');
        break;
      }
      const ch0b = ch;
      ch = this.read();
      if (ch0b === 0x2a && ch === 0x2f) {
        ch = this.read();
        break;
      }
    }
    return ch;
  }
}

function litName(prefix: number): string {
  if (prefix === 0x78) return 'hexadecimal literal';
  if (prefix === 0x6f || prefix === 0x30) return 'octal literal';
  if (prefix === 0x62) return 'binary literal';
  return 'decimal literal';
}

function digitVal(ch: number): number {
  if (isDecimal(ch)) return ch - 0x30;
  const l = lower(ch);
  if (l >= 0x61 && l <= 0x66) return l - 0x61 + 10;
  return 16;
}

function invalidSeparator(x: string): number {
  let x1 = ' ';
  let d = '.';
  let i = 0;
  if (x.length >= 2 && x[0] === '0') {
    x1 = (x[1] as string).toLowerCase();
    if (x1 === 'x' || x1 === 'o' || x1 === 'b') {
      d = '0';
      i = 2;
    }
  }
  for (; i < x.length; i++) {
    const p = d;
    d = x[i] as string;
    if (d === '_') {
      if (p !== '0') return i;
    } else if (isDecimal(d.charCodeAt(0)) || (x1 === 'x' && isHex(d.charCodeAt(0)))) {
      d = '0';
    } else {
      if (p === '_') return i - 1;
      d = '.';
    }
  }
  return d === '_' ? x.length - 1 : -1;
}
