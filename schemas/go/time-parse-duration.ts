/**
 * Go's time.ParseDuration and time.Duration.String (src/time/format.go), as Loki reads offsets,
 * duration label filters and `unwrap duration()`: an optional sign, then one or more decimal
 * numbers (fractions allowed) each with a unit ns us µs μs ms s m h; `0` alone is zero; errors
 * carry Go's `time: …` texts. Printing is Go's `1h30m0s`, `1.5s`, `250ms`, `1µs`, `0s`. Values are
 * bigint nanoseconds. Pure.
 */
import type { GoParse } from './go-parse.js';

const NS = 1n;
const US = 1000n * NS;
const MS = 1000n * US;
const SEC = 1000n * MS;
const MIN = 60n * SEC;
const HOUR = 60n * MIN;
const MAX_INT64 = (1n << 63n) - 1n;

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';

const GO_UNITS: Readonly<Record<string, bigint>> = {
  ns: NS,
  us: US,
  'µs': US,
  'μs': US,
  ms: MS,
  s: SEC,
  m: MIN,
  h: HOUR,
};

const UNIT_NS: Readonly<Record<string, number>> = { ns: 1, us: 1e3, ms: 1e6, s: 1e9, m: 6e10, h: 3.6e12 };

/** `123ms`-style durations (digits then an ASCII unit) as exact nanoseconds, or null for any other form. */
function plainDuration(s: string): bigint | null {
  const n = s.length;
  let i = 0;
  let v = 0;
  for (; i < n && i < 12; i++) {
    const c = s.charCodeAt(i) - 0x30;
    if (c < 0 || c > 9) break;
    v = v * 10 + c;
  }
  if (i === 0 || i === n || i - n < -2) return null;
  const unit = UNIT_NS[s.slice(i)];
  if (unit === undefined) return null;
  const ns = v * unit;
  return ns <= Number.MAX_SAFE_INTEGER ? BigInt(ns) : null;
}

/** Go's time.ParseDuration (`1h30m`, `1.5s`, `-250ms`), with Go's error text. */
export function parseGoDuration(orig: string): GoParse<bigint> {
  const plain = plainDuration(orig);
  if (plain !== null) return { ok: true, value: plain };
  const quoted = JSON.stringify(orig);
  const invalid: GoParse<bigint> = { ok: false, error: `time: invalid duration ${quoted}` };
  let s = orig;
  let neg = false;
  if (s !== '' && (s[0] === '-' || s[0] === '+')) {
    neg = s[0] === '-';
    s = s.slice(1);
  }
  if (s === '0') return { ok: true, value: 0n };
  if (s === '') return invalid;
  let total = 0n;
  while (s !== '') {
    if (!(s[0] === '.' || isDigit(s[0]))) return invalid;
    let i = 0;
    while (i < s.length && isDigit(s[i])) i++;
    const intText = s.slice(0, i);
    s = s.slice(i);
    const pre = i > 0;
    let fracText = '';
    if (s[0] === '.') {
      s = s.slice(1);
      let j = 0;
      while (j < s.length && isDigit(s[j])) j++;
      fracText = s.slice(0, j);
      s = s.slice(j);
    }
    if (!pre && fracText === '') return invalid;
    let k = 0;
    while (k < s.length && s[k] !== '.' && !isDigit(s[k])) k++;
    if (k === 0) return { ok: false, error: `time: missing unit in duration ${quoted}` };
    const u = s.slice(0, k);
    s = s.slice(k);
    const unit = GO_UNITS[u];
    if (unit === undefined) return { ok: false, error: `time: unknown unit ${JSON.stringify(u)} in duration ${quoted}` };
    const v = intText === '' ? 0n : BigInt(intText);
    if (v > MAX_INT64 / unit) return invalid;
    let part = v * unit;
    if (fracText !== '') {
      // Go scales the fraction with float64 arithmetic and truncates.
      const frac = Number('0.' + fracText);
      part += BigInt(Math.floor(frac * Number(unit)));
    }
    total += part;
    if (total > MAX_INT64) return invalid;
  }
  return { ok: true, value: neg ? -total : total };
}

function fmtFrac(v: bigint, prec: number): { text: string; rest: bigint } {
  let text = '';
  let print = false;
  for (let i = 0; i < prec; i++) {
    const digit = v % 10n;
    print = print || digit !== 0n;
    if (print) text = digit.toString() + text;
    v /= 10n;
  }
  if (print) text = '.' + text;
  return { text, rest: v };
}

/** Go's time.Duration.String: `1h30m0s`, `1.5s`, `250ms`, `1µs`, `0s`. */
export function formatGoDuration(d: bigint): string {
  if (d === 0n) return '0s';
  const neg = d < 0n;
  let u = neg ? -d : d;
  let out: string;
  if (u < SEC) {
    let prec: number;
    let unit: string;
    if (u < US) {
      return (neg ? '-' : '') + `${u}ns`;
    } else if (u < MS) {
      prec = 3;
      unit = 'µs';
    } else {
      prec = 6;
      unit = 'ms';
    }
    const f = fmtFrac(u, prec);
    out = `${f.rest}${f.text}${unit}`;
  } else {
    const f = fmtFrac(u, 9);
    u = f.rest;
    out = `${u % 60n}${f.text}s`;
    u /= 60n;
    if (u > 0n) {
      out = `${u % 60n}m` + out;
      u /= 60n;
      if (u > 0n) out = `${u}h` + out;
    }
  }
  return (neg ? '-' : '') + out;
}

