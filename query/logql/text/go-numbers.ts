/**
 * Go's number parsing and formatting as Loki's output depends on it: strconv.ParseFloat,
 * strconv.Atoi, FormatFloat(f, 'f', -1, 64), fmt's %v and %f for float64. Pure.
 */

/** Result of a Go-style parse: the value, or Go's error text. */
export type GoParse<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const HEX_FLOAT = /^[+-]?0[xX](?:[0-9a-fA-F_]+\.?[0-9a-fA-F_]*|\.[0-9a-fA-F_]+)[pP][+-]?\d+$/;
const SPECIAL = /^[+-]?(?:inf|infinity|nan)$/i;

function parseHexFloat(s: string): number {
  const neg = s.startsWith('-');
  const body = s.replace(/^[+-]?0[xX]/, '').replace(/_/g, '');
  const [mant = '', expText = '0'] = body.split(/[pP]/);
  const [intPart = '', fracPart = ''] = mant.split('.');
  let v = 0;
  for (const d of intPart + fracPart) v = v * 16 + parseInt(d, 16);
  const exp = parseInt(expText, 10) - 4 * fracPart.length;
  const r = v * Math.pow(2, exp);
  return neg ? -r : r;
}

/** Go's strconv.ParseFloat(s, 64), with its error text (`strconv.ParseFloat: parsing "x": invalid syntax`). */
export function parseGoFloat(s: string): GoParse<number> {
  const fail = (why: string): GoParse<number> => ({ ok: false, error: `strconv.ParseFloat: parsing ${JSON.stringify(s)}: ${why}` });
  if (SPECIAL.test(s)) {
    const lower = s.toLowerCase();
    if (lower.includes('nan')) return { ok: true, value: NaN };
    return { ok: true, value: lower.startsWith('-') ? -Infinity : Infinity };
  }
  let value: number;
  if (DECIMAL.test(s)) value = Number(s);
  else if (HEX_FLOAT.test(s) && !/__|_$|^[+-]?0[xX]_?\.|_[.pP]|\._/.test(s)) value = parseHexFloat(s);
  else return fail('invalid syntax');
  if (!Number.isFinite(value)) return fail('value out of range');
  return { ok: true, value };
}

/** Go's strconv.Atoi for 64-bit ints, with its error text. Values beyond 2^53 lose precision. */
export function parseGoInt(s: string): GoParse<number> {
  if (!/^[+-]?\d+$/.test(s)) return { ok: false, error: `strconv.Atoi: parsing ${JSON.stringify(s)}: invalid syntax` };
  const big = BigInt(s);
  if (big > 9223372036854775807n || big < -9223372036854775808n) {
    return { ok: false, error: `strconv.Atoi: parsing ${JSON.stringify(s)}: value out of range` };
  }
  return { ok: true, value: Number(big) };
}

/** Shortest round-trip digits and decimal exponent of a finite non-zero |v|: v = 0.d1d2… × 10^dp. */
function shortestDigits(v: number): { digits: string; dp: number } {
  const [mant = '', expText = '0'] = Math.abs(v).toExponential().split('e');
  const digits = mant.replace('.', '').replace(/0+$/, '') || '0';
  return { digits, dp: parseInt(expText, 10) + 1 };
}

function fixedFromDigits(digits: string, dp: number): string {
  if (dp <= 0) return '0.' + '0'.repeat(-dp) + digits;
  if (dp >= digits.length) return digits + '0'.repeat(dp - digits.length);
  return digits.slice(0, dp) + '.' + digits.slice(dp);
}

/** Go's strconv.FormatFloat(v, 'f', -1, 64): shortest digits, never an exponent. */
export function formatGoFloatF(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? '+Inf' : '-Inf';
  if (v === 0) return Object.is(v, -0) ? '-0' : '0';
  const { digits, dp } = shortestDigits(v);
  return (v < 0 ? '-' : '') + fixedFromDigits(digits, dp);
}

/** Go's strconv.FormatFloat(v, 'g', -1, 64), which is also fmt's %v for a float64. */
export function formatGoFloatG(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? '+Inf' : '-Inf';
  if (v === 0) return Object.is(v, -0) ? '-0' : '0';
  const { digits, dp } = shortestDigits(v);
  const sign = v < 0 ? '-' : '';
  const exp = dp - 1;
  if (exp < -4 || exp >= 6) {
    const mant = digits.length > 1 ? digits[0] + '.' + digits.slice(1) : digits;
    const e = Math.abs(exp);
    return `${sign}${mant}e${exp < 0 ? '-' : '+'}${e < 10 ? '0' + e : e}`;
  }
  return sign + fixedFromDigits(digits, dp);
}

/** fmt's %v for a float64: Go prints it as %g with the shortest representation. */
export function formatGoFloatV(v: number): string {
  return formatGoFloatG(v);
}

/** fmt's %f: six decimals. */
export function formatGoFloatFixed6(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? '+Inf' : '-Inf';
  return v.toFixed(6);
}
