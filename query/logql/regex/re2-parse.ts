/**
 * A parser for Go's regular expression syntax (regexp/syntax with the Perl flags), giving Go's
 * error texts (`error parsing regexp: missing closing ): `(``) and a tree close to Go's: merged
 * literals, single-rune classes as literals, adjacent one-rune alternatives merged into a class,
 * common literal prefixes of alternatives factored out. Pure.
 */
import {
  foldRanges, negateRanges, normalizeRanges, PERL_CLASSES, POSIX_CLASSES, unicodePropertyEscape,
} from './char-classes.js';
import { MAX_RUNE, type CharRange, type ParsedRegex, type ReNode } from './re2-ast.js';
import { classNode, literalNode, makeAlternate, pushItem } from './re2-nodes.js';

/** Options of a parse: `dotNL` makes `.` match `\n` (Go's syntax.DotNL). */
export interface Re2Options {
  readonly dotNL: boolean;
}

/** Result of parsing: the regex, or Go's error text. */
export type Re2Result = { readonly ok: true; readonly regex: ParsedRegex } | { readonly ok: false; readonly error: string };

class Re2Error {
  constructor(
    readonly code: string,
    readonly expr: string,
  ) {}
}

interface Flags {
  fold: boolean;
  multiLine: boolean;
  dotNL: boolean;
  nonGreedy: boolean;
}

const isAlnum = (c: number): boolean => (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
const isWordName = (s: string): boolean => /^[A-Za-z0-9_]+$/.test(s);

/** Parse a Go regular expression. */
export function parseRe2(pattern: string, opts: Re2Options): Re2Result {
  const p = new Re2Parser(pattern, opts);
  try {
    const root = p.parseAll();
    return { ok: true, regex: { root, captureNames: p.captureNames } };
  } catch (err) {
    if (err instanceof Re2Error) return { ok: false, error: `error parsing regexp: ${err.code}: \`${err.expr}\`` };
    throw err;
  }
}

class Re2Parser {
  private readonly s: readonly string[];
  private i = 0;
  private flags: Flags;
  readonly captureNames: string[] = [];

  constructor(
    private readonly whole: string,
    opts: Re2Options,
  ) {
    this.s = [...whole];
    this.flags = { fold: false, multiLine: false, dotNL: opts.dotNL, nonGreedy: false };
  }

  private rest(from = this.i): string {
    return this.s.slice(from).join('');
  }

  private text(from: number, to = this.i): string {
    return this.s.slice(from, to).join('');
  }

  parseAll(): ReNode {
    const node = this.parseAlternation();
    if (this.i < this.s.length) throw new Re2Error('unexpected )', this.whole);
    return node;
  }

  private parseAlternation(): ReNode {
    const alts: ReNode[] = [this.parseConcat()];
    while (this.s[this.i] === '|') {
      this.i++;
      alts.push(this.parseConcat());
    }
    return alts.length === 1 ? (alts[0] as ReNode) : makeAlternate(alts);
  }

  private parseConcat(): ReNode {
    const items: ReNode[] = [];
    let lastRepeatStart = -1;
    for (;;) {
      const c = this.s[this.i];
      if (c === undefined || c === '|' || c === ')') break;
      const start = this.i;
      if (c === '*' || c === '+' || c === '?' || c === '{') {
        let min = 0;
        let max = -1;
        if (c === '{') {
          const rep = this.tryRepeatCount();
          if (rep === null) {
            this.i++;
            pushItem(items, literalNode([0x7b], false));
            lastRepeatStart = -1;
            continue;
          }
          [min, max] = rep;
          if (min < 0 || min > 1000 || max > 1000 || (max >= 0 && min > max)) throw new Re2Error('invalid repeat count', this.text(start));
        } else {
          this.i++;
          if (c === '+') min = 1;
          if (c === '?') max = 1;
        }
        let greedy = !this.flags.nonGreedy;
        if (this.s[this.i] === '?') {
          greedy = !greedy;
          this.i++;
        }
        if (lastRepeatStart >= 0) throw new Re2Error('invalid nested repetition operator', this.text(lastRepeatStart));
        const sub = items.pop();
        if (sub === undefined) throw new Re2Error('missing argument to repetition operator', this.text(start));
        const rep: ReNode =
          c === '*' ? { op: 'star', greedy, sub } : c === '+' ? { op: 'plus', greedy, sub } : c === '?' ? { op: 'quest', greedy, sub } : { op: 'repeat', min, max, greedy, sub };
        items.push(rep);
        lastRepeatStart = start;
        continue;
      }
      lastRepeatStart = -1;
      const atom = this.parseAtom();
      if (atom !== null) pushItem(items, atom);
    }
    if (items.length === 0) return { op: 'emptyMatch' };
    return items.length === 1 ? (items[0] as ReNode) : { op: 'concat', subs: items };
  }

  /** `{n}`, `{n,}`, `{n,m}` at the cursor; consumes it, or returns null when it is not one (then `{` is a literal). */
  private tryRepeatCount(): [number, number] | null {
    const m = /^\{(\d+)(,(\d*))?\}/.exec(this.rest());
    if (m === null) return null;
    this.i += [...m[0]].length;
    const big = (t: string): number => (t.length > 8 ? 100000 : parseInt(t, 10));
    const min = big(m[1] as string);
    const max = m[2] === undefined ? min : m[3] === '' ? -1 : big(m[3] as string);
    return [min, max];
  }

  private parseAtom(): ReNode | null {
    const c = this.s[this.i] as string;
    if (c === '(') return this.parseGroup();
    if (c === '[') return this.parseClass();
    this.i++;
    const f = this.flags;
    switch (c) {
      case '.': return { op: f.dotNL ? 'anyChar' : 'anyCharNotNL' };
      case '^': return { op: f.multiLine ? 'beginLine' : 'beginText' };
      case '$': return { op: f.multiLine ? 'endLine' : 'endText' };
      case '\\': return this.parseEscapeAtom();
      default: return literalNode([c.codePointAt(0) as number], f.fold);
    }
  }

  private parseGroup(): ReNode | null {
    const start = this.i;
    this.i++;
    const saved = { ...this.flags };
    let name = '';
    let capture = true;
    if (this.s[this.i] === '?') {
      const rest = this.rest();
      const named = rest.startsWith('?P<') ? 3 : rest.startsWith('?<') ? 2 : 0;
      if (named > 0) {
        const end = rest.indexOf('>');
        if (end < 0) throw new Re2Error('invalid named capture', this.rest(start));
        name = rest.slice(named, end);
        const captureText = '(' + rest.slice(0, end + 1);
        if (!isWordName(name)) throw new Re2Error('invalid named capture', captureText);
        this.i += [...rest.slice(0, end + 1)].length;
      } else {
        this.i++;
        const opensGroup = this.parseFlags(start);
        if (!opensGroup) return null;
        capture = false;
      }
    }
    let index = 0;
    if (capture) {
      this.captureNames.push(name);
      index = this.captureNames.length;
    }
    const sub = this.parseAlternation();
    if (this.s[this.i] !== ')') throw new Re2Error('missing closing )', this.whole);
    this.i++;
    this.flags = saved;
    return capture ? { op: 'capture', index, name, sub } : sub;
  }

  /** Flags after `(?`: returns true for `(?flags:` (a group opens), false for `(?flags)`. */
  private parseFlags(start: number): boolean {
    const f = { ...this.flags };
    let sign = 1;
    let sawFlag = false;
    while (this.i < this.s.length) {
      const c = this.s[this.i++] as string;
      const set = (k: keyof Flags, v: boolean): void => {
        f[k] = sign > 0 ? v : !v;
        sawFlag = true;
      };
      if (c === 'i') set('fold', true);
      else if (c === 'm') set('multiLine', true);
      else if (c === 's') set('dotNL', true);
      else if (c === 'U') set('nonGreedy', true);
      else if (c === '-') {
        if (sign < 0) break;
        sign = -1;
        sawFlag = false;
      } else if (c === ':' || c === ')') {
        if (sign < 0 && !sawFlag) break;
        this.flags = f;
        return c === ':';
      } else break;
    }
    throw new Re2Error('invalid or unsupported Perl syntax', this.text(start));
  }

  private parseEscapeAtom(): ReNode | null {
    const start = this.i - 1;
    const c = this.s[this.i];
    if (c === undefined) throw new Re2Error('trailing backslash at end of expression', '');
    switch (c) {
      case 'A': this.i++; return { op: 'beginText' };
      case 'z': this.i++; return { op: 'endText' };
      case 'b': this.i++; return { op: 'wordBoundary' };
      case 'B': this.i++; return { op: 'noWordBoundary' };
      case 'Q': {
        this.i++;
        const rest = this.rest();
        const end = rest.indexOf('\\E');
        const lit = end < 0 ? rest : rest.slice(0, end);
        this.i += [...lit].length + (end < 0 ? 0 : 2);
        if (lit === '') return null;
        return literalNode([...lit].map((ch) => ch.codePointAt(0) as number), this.flags.fold);
      }
      default: {
        const cls = this.tryClassEscape(start);
        if (cls !== null) return cls;
        return literalNode([this.parseCharEscape(start)], this.flags.fold);
      }
    }
  }

  /** `\d`, `\pL`, `\p{Greek}` … at the cursor (just after `\`), as a class; null when not one. */
  private tryClassEscape(start: number): ReNode | null {
    const c = this.s[this.i] as string;
    const perl = PERL_CLASSES[c.toLowerCase()];
    if (perl !== undefined && 'dswDSW'.includes(c)) {
      this.i++;
      return classNode(c === c.toUpperCase() ? negateRanges(perl) : [...perl], [], false, this.flags.fold);
    }
    if (c !== 'p' && c !== 'P') return null;
    this.i++;
    let name: string;
    if (this.s[this.i] === '{') {
      const rest = this.rest();
      const end = rest.indexOf('}');
      if (end < 0) throw new Re2Error('invalid character class range', this.rest(start));
      name = rest.slice(1, end);
      this.i += [...rest.slice(0, end + 1)].length;
    } else {
      const ch = this.s[this.i];
      if (ch === undefined) throw new Re2Error('invalid character class range', this.text(start));
      name = ch;
      this.i++;
    }
    let negate = c === 'P';
    if (name.startsWith('^')) {
      negate = !negate;
      name = name.slice(1);
    }
    if (name === 'Any') return classNode(negate ? [] : [[0, MAX_RUNE]], [], false, false);
    const prop = unicodePropertyEscape(name, false);
    if (prop === null) throw new Re2Error('invalid character class range', this.text(start));
    return { op: 'class', ranges: [], props: [prop], negated: negate };
  }

  /** A single-rune escape at the cursor (just after `\`). */
  private parseCharEscape(start: number): number {
    const c = this.s[this.i] as string;
    this.i++;
    const cp = c.codePointAt(0) as number;
    if (c >= '1' && c <= '7') {
      const n = this.s[this.i];
      if (n === undefined || n < '0' || n > '7') throw new Re2Error('invalid escape sequence', this.text(start));
    }
    if (c >= '0' && c <= '7') {
      let v = cp - 0x30;
      for (let k = 0; k < 2; k++) {
        const n = this.s[this.i];
        if (n === undefined || n < '0' || n > '7') break;
        v = v * 8 + (n.charCodeAt(0) - 0x30);
        this.i++;
      }
      return v;
    }
    if (c === 'x') {
      if (this.s[this.i] === '{') {
        const m = /^\{([0-9A-Fa-f]+)\}/.exec(this.rest());
        if (m === null) throw new Re2Error('invalid escape sequence', this.text(start, Math.min(this.s.length, this.i + 1)));
        this.i += m[0].length;
        const v = parseInt(m[1] as string, 16);
        if (v > MAX_RUNE) throw new Re2Error('invalid escape sequence', this.text(start));
        return v;
      }
      const h = this.text(this.i, this.i + 2);
      if (!/^[0-9A-Fa-f]{2}$/.test(h)) throw new Re2Error('invalid escape sequence', this.text(start, Math.min(this.s.length, this.i + 2)));
      this.i += 2;
      return parseInt(h, 16);
    }
    const simple: Record<string, number> = { a: 7, f: 12, n: 10, r: 13, t: 9, v: 11 };
    if (simple[c] !== undefined) return simple[c] as number;
    if (cp < 0x80 && !isAlnum(cp)) return cp;
    throw new Re2Error('invalid escape sequence', this.text(start));
  }

  private parseClass(): ReNode {
    const start = this.i;
    this.i++;
    let negate = false;
    if (this.s[this.i] === '^') {
      negate = true;
      this.i++;
    }
    const ranges: CharRange[] = [];
    const props: string[] = [];
    let first = true;
    while (this.s[this.i] !== ']' || first) {
      const c = this.s[this.i];
      if (c === undefined) throw new Re2Error('missing closing ]', this.rest(start));
      first = false;
      if (c === '[' && this.s[this.i + 1] === ':') {
        const rest = this.rest();
        const end = rest.indexOf(':]', 2);
        if (end >= 0) {
          const whole = rest.slice(0, end + 2);
          let name = rest.slice(2, end);
          let neg = false;
          if (name.startsWith('^')) {
            neg = true;
            name = name.slice(1);
          }
          const posix = POSIX_CLASSES[name];
          if (posix === undefined) throw new Re2Error('invalid character class range', whole);
          ranges.push(...(neg ? negateRanges(posix) : posix));
          this.i += whole.length;
          continue;
        }
      }
      const rangeStart = this.i;
      if (c === '\\') {
        this.i++;
        if (this.s[this.i] === undefined) throw new Re2Error('trailing backslash at end of expression', '');
        const cls = this.tryClassEscape(rangeStart);
        if (cls !== null && cls.op === 'class') {
          if (cls.props.length > 0) {
            if (cls.negated) props.push(...cls.props.map((p) => p.replace('\\p', '\\P')));
            else props.push(...cls.props);
          } else ranges.push(...cls.ranges);
          continue;
        }
      }
      const lo = this.classChar(rangeStart);
      let hi = lo;
      if (this.s[this.i] === '-' && this.s[this.i + 1] !== undefined && this.s[this.i + 1] !== ']') {
        this.i++;
        hi = this.classChar(this.i);
        if (hi < lo) throw new Re2Error('invalid character class range', this.text(rangeStart));
      }
      ranges.push([lo, hi]);
    }
    this.i++;
    let norm = normalizeRanges(ranges);
    if (this.flags.fold) norm = foldRanges(norm);
    if (props.length > 0) return { op: 'class', ranges: norm, props, negated: negate };
    return classNode(negate ? negateRanges(norm) : norm, [], false, false);
  }

  /** One class member character (possibly escaped) starting at `at` (the cursor may already be past `\`). */
  private classChar(at: number): number {
    if (this.s[at] === '\\') {
      if (this.i === at) this.i++;
      return this.parseCharEscape(at);
    }
    const c = this.s[this.i] as string;
    this.i++;
    return c.codePointAt(0) as number;
  }
}

