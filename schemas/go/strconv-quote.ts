/**
 * Go's strconv.Quote and strconv.Unquote (src/strconv/quote.go). Quote: a double-quoted literal in
 * which `"`, `\\` and every rune unicode.IsPrint rejects are escaped (`\n`, `\x7f`, `\u00ad`,
 * `\U000e0001` forms), invalid UTF-16 as `\ufffd` — how Loki prints strings in errors, queries
 * and `%q`. Unquote: reads a "…", '…' or `…` literal as Loki's lexer does. Pure.
 */

const SIMPLE_ESCAPES: Readonly<Record<number, string>> = {
  0x07: '\\a',
  0x08: '\\b',
  0x0c: '\\f',
  0x0a: '\\n',
  0x0d: '\\r',
  0x09: '\\t',
  0x0b: '\\v',
  0x22: '\\"',
  0x5c: '\\\\',
};

const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;

/** True when Go's unicode.IsPrint accepts the code point (letters, marks, numbers, punctuation, symbols, ASCII space). */
export function isGoPrintable(cp: number): boolean {
  if (cp >= 0x20 && cp < 0x7f) return true;
  if (cp < 0x80) return false;
  return PRINTABLE.test(String.fromCodePoint(cp));
}

function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, '0');
}

/** Go's strconv.Quote: a double-quoted literal, non-printable runes escaped. */
export function quoteGo(s: string): string {
  let plain = true;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x22 || c === 0x5c || c >= 0x7f) {
      plain = false;
      break;
    }
  }
  if (plain) return `"${s}"`;
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0) as number;
    const simple = SIMPLE_ESCAPES[cp];
    if (simple !== undefined) out += simple;
    else if (cp >= 0xd800 && cp <= 0xdfff) out += '\\ufffd';
    else if (isGoPrintable(cp)) out += ch;
    else if (cp < 0x80) out += '\\x' + hex(cp, 2);
    else if (cp < 0x10000) out += '\\u' + hex(cp, 4);
    else out += '\\U' + hex(cp, 8);
  }
  return out + '"';
}

/** The error strconv.Unquote reports for any malformed literal. */
export const UNQUOTE_SYNTAX_ERROR = 'invalid syntax';

function isHexDigit(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}

const UTF8 = new TextDecoder('utf-8');
const ENCODER = new TextEncoder();

/**
 * Go's strconv.Unquote (as prometheus/util/strutil.Unquote): reads a "…", '…' or `…` literal.
 * Byte escapes (\xNN, octal) are assembled as UTF-8. Returns null when the literal is malformed.
 */
export function unquoteGo(lit: string): string | null {
  if (lit.length < 2) return null;
  const quote = lit[0];
  if (quote !== lit[lit.length - 1]) return null;
  const body = lit.slice(1, -1);
  if (quote === '`') return body.includes('`') ? null : body.replace(/\r/g, '');
  if (quote !== '"' && quote !== "'") return null;
  if (!body.includes('\\') && !body.includes(quote) && !body.includes('\n')) return body;
  const bytes: number[] = [];
  const pushText = (text: string): void => {
    for (const b of ENCODER.encode(text)) bytes.push(b);
  };
  let i = 0;
  while (i < body.length) {
    const ch = body[i] as string;
    if (ch === quote || ch === '\n') return null;
    if (ch !== '\\') {
      const cp = body.codePointAt(i) as number;
      pushText(String.fromCodePoint(cp));
      i += cp > 0xffff ? 2 : 1;
      continue;
    }
    const e = body[i + 1];
    if (e === undefined) return null;
    i += 2;
    switch (e) {
      case 'a': bytes.push(7); break;
      case 'b': bytes.push(8); break;
      case 'f': bytes.push(12); break;
      case 'n': bytes.push(10); break;
      case 'r': bytes.push(13); break;
      case 't': bytes.push(9); break;
      case 'v': bytes.push(11); break;
      case '\\': bytes.push(0x5c); break;
      case "'":
      case '"':
        if (e !== quote) return null;
        bytes.push(e.charCodeAt(0));
        break;
      case 'x':
      case 'u':
      case 'U': {
        const n = e === 'x' ? 2 : e === 'u' ? 4 : 8;
        const digits = body.slice(i, i + n);
        if (digits.length !== n || ![...digits].every((d) => isHexDigit(d.charCodeAt(0)))) return null;
        i += n;
        const v = parseInt(digits, 16);
        if (e === 'x') bytes.push(v);
        else {
          if (v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff)) return null;
          pushText(String.fromCodePoint(v));
        }
        break;
      }
      default: {
        if (e >= '0' && e <= '7') {
          const digits = body.slice(i - 1, i + 2);
          if (!/^[0-7]{3}$/.test(digits)) return null;
          const v = parseInt(digits, 8);
          if (v > 255) return null;
          bytes.push(v);
          i += 2;
          break;
        }
        return null;
      }
    }
  }
  return UTF8.decode(Uint8Array.from(bytes));
}
