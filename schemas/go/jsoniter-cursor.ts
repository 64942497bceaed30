/**
 * A cursor that reads a JSON body the way json-iterator (jsoniter, Loki's JSON decoder for push
 * bodies: `pkg/util/unmarshal` DecodePushRequest) does: same token rules, same strict skipping of
 * values (strings, escapes, literals, nesting up to depth 10000), same first-error-wins reporting,
 * and the same error text — `op: msg, error found in #N byte of ...|peek|..., bigger context
 * ...|context|...` — with peek and context cut from the 512-byte read buffer jsoniter's
 * `NewDecoder` uses (assuming every read fills it). Number syntax errors are reported with
 * jsoniter's common texts, not every variant. Pure.
 */

const BUFFER_SIZE = 512;
const MAX_DEPTH = 10000;
const LOSSY = new TextDecoder('utf-8');

/** A byte as Go's `string([]byte{c})` prints it (bytes past ASCII show as U+FFFD). */
export function byteText(c: number): string {
  return c < 0x80 ? String.fromCharCode(c) : '\ufffd';
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x09 || c === 0x0d;
}

const NUMBER_RUN = new Set([...'+-.eE0123456789'].map((ch) => ch.charCodeAt(0)));
const JSON_NUMBER = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$/;

/** jsoniter's Iterator over a whole body: `head` is the next byte, `error` the first error reported. */
export class JsoniterCursor {
  head = 0;
  /** The first error reported, with jsoniter's position suffix; null while all is well. */
  error: string | null = null;
  /** True once a read ran past the end (jsoniter's io.EOF). */
  eof = false;
  private depth = 0;

  constructor(readonly b: Uint8Array) {}

  /** The next non-whitespace byte, consumed; 0 at the end (the position then stays put). */
  nextToken(): number {
    const b = this.b;
    for (let i = this.head; i < b.length; i++) {
      const c = b[i] as number;
      if (!isSpace(c)) {
        this.head = i + 1;
        return c;
      }
    }
    this.eof = true;
    return 0;
  }

  /** The next byte, consumed; 0 at the end. */
  readByte(): number {
    if (this.head < this.b.length) return this.b[this.head++] as number;
    this.eof = true;
    return 0;
  }

  /** Step back one byte, unless an error or the end was reached (as jsoniter). */
  unreadByte(): void {
    if (this.error !== null || this.eof) return;
    this.head--;
  }

  /** Record `op: msg` at the current position unless an error is already recorded. */
  reportError(op: string, msg: string): void {
    if (this.error !== null) return;
    const len = this.b.length;
    const chunk = this.head === 0 ? 0 : Math.floor((this.head - 1) / BUFFER_SIZE) * BUFFER_SIZE;
    const tail = Math.min(chunk + BUFFER_SIZE, len) - chunk;
    const head = this.head - chunk;
    const peekStart = Math.max(0, head - 10);
    const peekEnd = Math.min(head + 10, tail);
    const contextStart = Math.max(0, head - 50);
    const contextEnd = Math.min(head + 50, tail);
    const peek = LOSSY.decode(this.b.subarray(chunk + peekStart, chunk + peekEnd));
    const context = LOSSY.decode(this.b.subarray(chunk + contextStart, chunk + contextEnd));
    this.error = `${op}: ${msg}, error found in #${head - peekStart} byte of ...|${peek}|..., bigger context ...|${context}|...`;
  }

  /** jsoniter's incrementDepth: false (and an error) past depth 10000. */
  enter(): boolean {
    this.depth++;
    if (this.depth <= MAX_DEPTH) return true;
    this.reportError('incrementDepth', 'exceeded max depth');
    return false;
  }

  /** Leave one level of nesting. */
  leave(): void {
    this.depth--;
  }

  private skipLiteral(rest: string, op: string): void {
    for (let i = 0; i < rest.length; i++) {
      if (this.readByte() !== rest.charCodeAt(i)) {
        this.reportError(op, `expect ${rest}`);
        return;
      }
    }
  }

  /** jsoniter's skipThreeBytes('u','l','l') and friends, after the first letter was read. */
  skipNull(): void {
    this.skipLiteral('ull', 'skipThreeBytes');
  }

  /** jsoniter's ReadString (a field name or string value); `null` reads as an empty string. */
  readString(): void {
    const c = this.nextToken();
    if (c === 0x22) {
      const b = this.b;
      for (let i = this.head; i < b.length; i++) {
        const d = b[i] as number;
        if (d === 0x22) {
          this.head = i + 1;
          return;
        }
        if (d === 0x5c) break;
        if (d < 0x20) {
          this.reportError('ReadString', `invalid control character found: ${d}`);
          return;
        }
      }
      this.readStringSlowPath();
      return;
    }
    if (c === 0x6e) {
      this.skipNull();
      return;
    }
    this.reportError('ReadString', `expects " or n, but found ${byteText(c)}`);
  }

  /**
   * jsoniter's readStringSlowPath from the current position: reads to the closing quote,
   * validating escapes (control characters are not checked on this path, as in jsoniter).
   */
  readStringSlowPath(): void {
    const b = this.b;
    let i = this.head;
    while (i < b.length) {
      const c = b[i++] as number;
      if (c === 0x22) {
        this.head = i;
        return;
      }
      if (c === 0x5c) {
        this.head = i;
        this.readEscapedChar(this.readByte());
        if (this.error !== null || this.eof) break;
        i = this.head;
      }
    }
    if (this.error === null) {
      this.head = b.length;
      this.eof = true;
    }
    this.reportError('readStringSlowPath', 'unexpected end of input');
  }

  private readU4(): number {
    let r = 0;
    for (let i = 0; i < 4; i++) {
      const c = this.readByte();
      if (this.error !== null || this.eof) return r;
      if (c >= 0x30 && c <= 0x39) r = r * 16 + (c - 0x30);
      else if (c >= 0x61 && c <= 0x66) r = r * 16 + (c - 0x61 + 10);
      else if (c >= 0x41 && c <= 0x46) r = r * 16 + (c - 0x41 + 10);
      else {
        this.reportError('readU4', `expects 0~9 or a~f, but found ${byteText(c)}`);
        return r;
      }
    }
    return r;
  }

  private readEscapedChar(c: number): void {
    for (;;) {
      switch (c) {
        case 0x75: {
          const r = this.readU4();
          if (r < 0xd800 || r >= 0xe000) return;
          const d = this.readByte();
          if (this.error !== null || this.eof) return;
          if (d !== 0x5c) {
            this.unreadByte();
            return;
          }
          const e = this.readByte();
          if (this.error !== null || this.eof) return;
          if (e !== 0x75) {
            c = e;
            continue;
          }
          this.readU4();
          return;
        }
        case 0x22:
        case 0x5c:
        case 0x2f:
        case 0x62:
        case 0x66:
        case 0x6e:
        case 0x72:
        case 0x74:
          return;
        default:
          this.reportError('readEscapedChar', 'invalid escape char after \\');
          return;
      }
    }
  }

  private skipString(): void {
    const b = this.b;
    for (let i = this.head; i < b.length; i++) {
      const c = b[i] as number;
      if (c === 0x22) {
        this.head = i + 1;
        return;
      }
      if (c === 0x5c) break;
      if (c < 0x20) {
        this.reportError('trySkipString', `invalid control character found: ${c}`);
        return;
      }
    }
    this.unreadByte();
    this.readString();
  }

  /** A number whose first byte (`first`) was just consumed. */
  private skipNumber(first: number): void {
    const b = this.b;
    const start = this.head - 1;
    let end = this.head;
    while (end < b.length && NUMBER_RUN.has(b[end] as number)) end++;
    const text = LOSSY.decode(b.subarray(start, end));
    this.head = end;
    if (JSON_NUMBER.test(text)) return;
    if (/^-?0[0-9]/.test(text)) this.reportError(first === 0x30 ? 'readFloat32' : 'readFloat64', 'leading zero is invalid');
    else if (/\.[0-9]*\./.test(text)) this.reportError('validateNumber', 'more than one dot found in number');
    else if (/\.([^0-9]|$)/.test(text)) this.reportError('validateNumber', 'missing digit after dot');
    else this.reportError('readNumberAsString', 'invalid number');
  }

  /**
   * jsoniter's strict Skip of one value, nesting handled with an explicit stack (no recursion).
   * Leaves `error` set on the first problem.
   */
  skip(): void {
    // Each open container: true for an object, false for an array.
    const open: boolean[] = [];
    for (;;) {
      // A value is expected here.
      const c = this.nextToken();
      switch (c) {
        case 0x22:
          this.skipString();
          break;
        case 0x6e:
          this.skipLiteral('ull', 'skipThreeBytes');
          break;
        case 0x74:
          this.skipLiteral('rue', 'skipThreeBytes');
          break;
        case 0x66:
          this.skipLiteral('alse', 'skipFourBytes');
          break;
        case 0x2d:
        case 0x30:
        case 0x31:
        case 0x32:
        case 0x33:
        case 0x34:
        case 0x35:
        case 0x36:
        case 0x37:
        case 0x38:
        case 0x39:
          this.skipNumber(c);
          break;
        case 0x5b: {
          if (!this.enter()) return;
          const d = this.nextToken();
          if (d !== 0x5d) {
            this.unreadByte();
            open.push(false);
            continue;
          }
          this.leave();
          break;
        }
        case 0x7b: {
          if (!this.enter()) return;
          const d = this.nextToken();
          if (d === 0x22) {
            this.unreadByte();
            if (!this.fieldName()) return;
            open.push(true);
            continue;
          }
          if (d === 0x7d) {
            this.leave();
            break;
          }
          this.reportError('ReadObjectCB', `expect " after {, but found ${byteText(d)}`);
          return;
        }
        default:
          this.reportError('Skip', `do not know how to skip: ${c}`);
          return;
      }
      if (this.error !== null) return;
      // After a value: close containers until one continues with a comma.
      for (;;) {
        if (open.length === 0) return;
        const isObject = open[open.length - 1] as boolean;
        const d = this.nextToken();
        if (d === 0x2c) {
          if (isObject && !this.fieldName()) return;
          break;
        }
        if (isObject ? d !== 0x7d : d !== 0x5d) {
          if (isObject) this.reportError('ReadObjectCB', 'object not ended with }');
          else this.reportError('ReadArrayCB', `expect ] in the end, but found ${byteText(d)}`);
          return;
        }
        open.pop();
        this.leave();
      }
    }
  }

  /** A member name and its colon, as ReadObjectCB reads them. */
  private fieldName(): boolean {
    this.readString();
    if (this.error !== null) return false;
    const c = this.nextToken();
    if (c !== 0x3a) {
      this.reportError('ReadObject', `expect : after object field, but found ${byteText(c)}`);
      return false;
    }
    return true;
  }
}
