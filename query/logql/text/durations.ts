/**
 * Durations as Loki reads and prints them: Prometheus' model.ParseDuration / model.Duration.String
 * (ranges like `[5m]`), Go's time.ParseDuration / time.Duration.String (offsets, duration label
 * filters, `unwrap duration()`). Values are bigint nanoseconds. Pure.
 */
import type { GoParse } from './go-numbers.js';

const NS = 1n;
const US = 1000n * NS;
const MS = 1000n * US;
const SEC = 1000n * MS;
const MIN = 60n * SEC;
const HOUR = 60n * MIN;
const DAY = 24n * HOUR;
const WEEK = 7n * DAY;
const YEAR = 365n * DAY;
const MAX_INT64 = (1n << 63n) - 1n;

/** One second in nanoseconds. */
export const SECOND_NS = SEC;

const PROM_UNITS: Readonly<Record<string, { pos: number; mult: bigint }>> = {
  ms: { pos: 7, mult: MS },
  s: { pos: 6, mult: SEC },
  m: { pos: 5, mult: MIN },
  h: { pos: 4, mult: HOUR },
  d: { pos: 3, mult: DAY },
  w: { pos: 2, mult: WEEK },
  y: { pos: 1, mult: YEAR },
};

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';

/** Prometheus' model.ParseDuration (units y w d h m s ms, largest first, no sign, no fractions). */
export function parsePromDuration(s: string): GoParse<bigint> {
  if (s === '0') return { ok: true, value: 0n };
  if (s === '') return { ok: false, error: 'empty duration string' };
  const invalid: GoParse<bigint> = { ok: false, error: `not a valid duration string: ${JSON.stringify(s)}` };
  let rest = s;
  let dur = 0n;
  let lastPos = 0;
  while (rest !== '') {
    if (!isDigit(rest[0])) return invalid;
    let i = 0;
    while (i < rest.length && isDigit(rest[i])) i++;
    const v = BigInt(rest.slice(0, i));
    if (v > 18446744073709551615n) return invalid;
    rest = rest.slice(i);
    i = 0;
    while (i < rest.length && !isDigit(rest[i])) i++;
    if (i === 0) return invalid;
    const u = rest.slice(0, i);
    rest = rest.slice(i);
    const unit = PROM_UNITS[u];
    if (unit === undefined) return { ok: false, error: `unknown unit ${JSON.stringify(u)} in duration ${JSON.stringify(s)}` };
    if (unit.pos <= lastPos) return invalid;
    lastPos = unit.pos;
    if (v > (1n << 63n) / unit.mult) return { ok: false, error: 'duration out of range' };
    dur += v * unit.mult;
    if (dur > MAX_INT64) return { ok: false, error: 'duration out of range' };
  }
  return { ok: true, value: dur };
}

/** Prometheus' model.Duration.String (millisecond precision; `y`/`w` only when exact). */
export function formatPromDuration(ns: bigint): string {
  let ms = ns / MS;
  if (ms === 0n) return '0s';
  let sign = '';
  if (ms < 0n) {
    sign = '-';
    ms = -ms;
  }
  let out = '';
  const take = (unit: string, mult: bigint, exact: boolean): void => {
    if (exact && ms % mult !== 0n) return;
    const v = ms / mult;
    if (v > 0n) {
      out += `${v}${unit}`;
      ms -= v * mult;
    }
  };
  take('y', 1000n * 60n * 60n * 24n * 365n, true);
  take('w', 1000n * 60n * 60n * 24n * 7n, true);
  take('d', 1000n * 60n * 60n * 24n, false);
  take('h', 1000n * 60n * 60n, false);
  take('m', 1000n * 60n, false);
  take('s', 1000n, false);
  take('ms', 1n, false);
  return sign + out;
}

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

/** Go's time.ParseDuration (`1h30m`, `1.5s`, `-250ms`), with Go's error text. */
export function parseGoDuration(orig: string): GoParse<bigint> {
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

/** The lexer's duration rule: Prometheus syntax first, then Go's time.ParseDuration. */
export function parseLogqlDuration(s: string): GoParse<bigint> {
  const prom = parsePromDuration(s);
  return prom.ok ? prom : parseGoDuration(s);
}
