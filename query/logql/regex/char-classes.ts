/**
 * Character class arithmetic for Go regexes: range normalisation, negation, simple case folding,
 * and the named classes (\d \s \w, [:alpha:] …) with Go's ASCII definitions. Pure.
 */
import { MAX_RUNE, type CharRange } from './re2-ast.js';

/** Sort and merge ranges. */
export function normalizeRanges(ranges: readonly CharRange[]): CharRange[] {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const out: [number, number][] = [];
  for (const [lo, hi] of sorted) {
    const last = out[out.length - 1];
    if (last !== undefined && lo <= last[1] + 1) last[1] = Math.max(last[1], hi);
    else out.push([lo, hi]);
  }
  return out;
}

/** The complement of normalised ranges within [0, MAX_RUNE]. */
export function negateRanges(ranges: readonly CharRange[]): CharRange[] {
  const norm = normalizeRanges(ranges);
  const out: CharRange[] = [];
  let next = 0;
  for (const [lo, hi] of norm) {
    if (lo > next) out.push([next, lo - 1]);
    next = hi + 1;
  }
  if (next <= MAX_RUNE) out.push([next, MAX_RUNE]);
  return out;
}

const EXTRA_FOLDS: Readonly<Record<number, readonly number[]>> = {
  0x6b: [0x212a], 0x4b: [0x212a], 0x212a: [0x6b, 0x4b],
  0x73: [0x17f], 0x53: [0x17f], 0x17f: [0x73, 0x53],
  0xe5: [0x212b], 0xc5: [0x212b], 0x212b: [0xe5, 0xc5],
};

/** Code points equivalent to `cp` under simple case folding (including `cp`). */
export function foldOrbit(cp: number): number[] {
  const s = String.fromCodePoint(cp);
  const set = new Set<number>([cp]);
  for (const t of [s.toLowerCase(), s.toUpperCase()]) {
    if ([...t].length === 1) set.add(t.codePointAt(0) as number);
  }
  for (const extra of EXTRA_FOLDS[cp] ?? []) set.add(extra);
  return [...set];
}

/** Add the case-folded equivalents of every code point in the ranges (large ranges kept as they are). */
export function foldRanges(ranges: readonly CharRange[]): CharRange[] {
  const out: CharRange[] = [...ranges];
  for (const [lo, hi] of ranges) {
    if (hi - lo > 0x3000) continue;
    for (let c = lo; c <= hi; c++) for (const f of foldOrbit(c)) if (f !== c) out.push([f, f]);
  }
  return normalizeRanges(out);
}

const r = (a: string, b: string = a): CharRange => [a.codePointAt(0) as number, b.codePointAt(0) as number];

/** Perl classes as Go defines them (ASCII only). */
export const PERL_CLASSES: Readonly<Record<string, readonly CharRange[]>> = {
  d: [r('0', '9')],
  s: [[0x09, 0x0a], [0x0c, 0x0d], [0x20, 0x20]],
  w: [r('0', '9'), r('A', 'Z'), r('_'), r('a', 'z')],
};

/** POSIX classes `[:name:]` as Go defines them. */
export const POSIX_CLASSES: Readonly<Record<string, readonly CharRange[]>> = {
  alnum: [r('0', '9'), r('A', 'Z'), r('a', 'z')],
  alpha: [r('A', 'Z'), r('a', 'z')],
  ascii: [[0, 0x7f]],
  blank: [[0x09, 0x09], [0x20, 0x20]],
  cntrl: [[0, 0x1f], [0x7f, 0x7f]],
  digit: [r('0', '9')],
  graph: [[0x21, 0x7e]],
  lower: [r('a', 'z')],
  print: [[0x20, 0x7e]],
  punct: [[0x21, 0x2f], [0x3a, 0x40], [0x5b, 0x60], [0x7b, 0x7e]],
  space: [[0x09, 0x0d], [0x20, 0x20]],
  upper: [r('A', 'Z')],
  word: [r('0', '9'), r('A', 'Z'), r('a', 'z'), r('_')],
  xdigit: [r('0', '9'), r('A', 'F'), r('a', 'f')],
};

const GENERAL_CATEGORIES = new Set([
  'C', 'Cc', 'Cf', 'Co', 'Cs', 'L', 'Ll', 'Lm', 'Lo', 'Lt', 'Lu', 'M', 'Mc', 'Me', 'Mn', 'N', 'Nd', 'Nl', 'No',
  'P', 'Pc', 'Pd', 'Pe', 'Pf', 'Pi', 'Po', 'Ps', 'S', 'Sc', 'Sk', 'Sm', 'So', 'Z', 'Zl', 'Zp', 'Zs',
]);

/**
 * The JS property escape for Go's `\p{name}` (a general category or a script), or null when the
 * name is unknown to Go or to this engine. `Any` is handled by the caller.
 */
export function unicodePropertyEscape(name: string, negate: boolean): string | null {
  const body = GENERAL_CATEGORIES.has(name) ? name : `Script=${name}`;
  const text = `\\${negate ? 'P' : 'p'}{${body}}`;
  try {
    new RegExp(text, 'u');
  } catch {
    return null;
  }
  return text;
}
