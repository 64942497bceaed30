/**
 * Go's strconv.FormatFloat(v, 'f' | 'g' | 'e', -1, 64) and fmt's %v, %.<p>g and %f for a float64
 * (src/strconv/ftoa.go, src/fmt/format.go), as Loki prints sample values and numbers in templates
 * and Prometheus alert values: the shortest digits that round-trip, `'g'` switching to an
 * exponent below 1e-4 and from 1e+06, exponents of at least two digits, `NaN`, `+Inf`, `-Inf`,
 * `-0`. With a precision, digits are rounded to it and trailing zeros dropped. Pure.
 */

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

/** Go's strconv.FormatFloat(v, 'e', -1, 64): shortest digits, always an exponent (`6e+00`, `1.25e+01`). */
export function formatGoFloatE(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? '+Inf' : '-Inf';
  if (v === 0) return Object.is(v, -0) ? '-0e+00' : '0e+00';
  const { digits, dp } = shortestDigits(v);
  const exp = dp - 1;
  const mant = digits.length > 1 ? digits[0] + '.' + digits.slice(1) : digits;
  const e = Math.abs(exp);
  return `${v < 0 ? '-' : ''}${mant}e${exp < 0 ? '-' : '+'}${e < 10 ? '0' + e : e}`;
}

/** The exact decimal digits of a finite non-zero |v| (no trailing zeros): |v| = 0.d1d2… × 10^dp. */
function exactDigits(v: number): { digits: string; dp: number } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, Math.abs(v));
  const bits = view.getBigUint64(0);
  const biased = Number((bits >> 52n) & 0x7ffn);
  const frac = bits & ((1n << 52n) - 1n);
  const mant = biased === 0 ? frac : frac | (1n << 52n);
  const exp = biased === 0 ? -1074 : biased - 1075;
  const n = exp >= 0 ? mant << BigInt(exp) : mant * 5n ** BigInt(-exp);
  const text = n.toString();
  const dp = exp >= 0 ? text.length : text.length + exp;
  return { digits: text.replace(/0+$/, '') || '0', dp };
}

/** `d` rounded to `p` significant digits, half to even on the exact value (Go's decimal.Round). */
function roundDigits(d: { digits: string; dp: number }, p: number): { digits: string; dp: number } {
  if (d.digits.length <= p) return d;
  const next = d.digits.charCodeAt(p) - 48;
  const restNonZero = /[1-9]/.test(d.digits.slice(p + 1));
  const last = d.digits.charCodeAt(p - 1) - 48;
  const up = next > 5 || (next === 5 && (restNonZero || last % 2 === 1));
  let kept = d.digits.slice(0, p);
  let dp = d.dp;
  if (up) {
    const bumped = (BigInt(kept) + 1n).toString();
    if (bumped.length > kept.length) dp++;
    kept = bumped.slice(0, p);
  }
  return { digits: kept.replace(/0+$/, '') || '0', dp };
}

/** fmt's %.<prec>g for a float64: `prec` significant digits, trailing zeros dropped, an exponent when it is below -4 or at least `prec`. */
export function formatGoFloatPrecisionG(v: number, prec: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? '+Inf' : '-Inf';
  if (v === 0) return Object.is(v, -0) ? '-0' : '0';
  const p = Math.max(1, prec);
  const { digits, dp } = roundDigits(exactDigits(v), p);
  const eprec = p > digits.length && digits.length >= dp ? digits.length : p;
  const sign = v < 0 ? '-' : '';
  const exp = dp - 1;
  if (exp < -4 || exp >= eprec) {
    const m = digits.length > 1 ? digits[0] + '.' + digits.slice(1) : digits;
    const e = Math.abs(exp);
    return `${sign}${m}e${exp < 0 ? '-' : '+'}${e < 10 ? '0' + e : e}`;
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
