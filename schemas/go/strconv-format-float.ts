/**
 * Go's strconv.FormatFloat(v, 'f' | 'g', -1, 64) and fmt's %v and %f for a float64
 * (src/strconv/ftoa.go, src/fmt/format.go), as Loki prints sample values and numbers in templates:
 * the shortest digits that round-trip, `'g'` switching to an exponent below 1e-4 and from 1e+06,
 * `NaN`, `+Inf`, `-Inf`, `-0`. Pure.
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
