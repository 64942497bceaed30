/**
 * Go's strconv.ParseInt(s, 10, 64) and strconv.Atoi (src/strconv/atoi.go), as Loki reads integer
 * query parameters and LogQL integers: an optional sign and decimal digits only (no spaces, no
 * underscores in base 10), within int64; errors carry Go's NumError text
 * (`strconv.ParseInt: parsing "x": invalid syntax`, `…: value out of range`). Pure.
 */
import type { GoParse } from './go-parse.js';
import { quoteGo } from './strconv-quote.js';

const MAX_INT64 = 9223372036854775807n;
const MIN_INT64 = -9223372036854775808n;
const DECIMAL_INT = /^[+-]?\d+$/;

/** strconv.ParseInt(s, 10, 64) as a bigint; `fn` names the Go function in the error text (`Atoi` for Atoi's callers). */
export function strconvParseInt(s: string, fn = 'ParseInt'): GoParse<bigint> {
  if (!DECIMAL_INT.test(s)) return { ok: false, error: `strconv.${fn}: parsing ${quoteGo(s)}: invalid syntax` };
  const v = BigInt(s);
  if (v > MAX_INT64 || v < MIN_INT64) return { ok: false, error: `strconv.${fn}: parsing ${quoteGo(s)}: value out of range` };
  return { ok: true, value: v };
}

/** strconv.Atoi on a 64-bit platform, as a number (values beyond 2^53 lose precision). */
export function strconvAtoi(s: string): GoParse<number> {
  const r = strconvParseInt(s, 'Atoi');
  return r.ok ? { ok: true, value: Number(r.value) } : r;
}
