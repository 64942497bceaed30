/**
 * Prometheus' model.ParseDuration and model.Duration.String (prometheus/common/model/time.go), as
 * Loki reads range and step durations: units y w d h m s ms, each at most once and largest first,
 * integers only, no sign; `0` alone is zero; errors carry Prometheus' texts. Printing keeps
 * millisecond precision and uses `y`/`w` only when exact. Values are bigint nanoseconds. Pure.
 */
import type { GoParse } from './go-parse.js';

const MS = 1_000_000n;
const SEC = 1000n * MS;
const MIN = 60n * SEC;
const HOUR = 60n * MIN;
const DAY = 24n * HOUR;
const WEEK = 7n * DAY;
const YEAR = 365n * DAY;
const MAX_INT64 = (1n << 63n) - 1n;

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

