/**
 * Conversions Sprig applies to template arguments (spf13/cast's ToInt64/ToFloat64), its decimal
 * arithmetic for addf/mulf, Go's regexp replacement expansion (`$1`, `${name}`), and Go's basic
 * comparisons for eq/lt/…. Pure.
 */
import { parseGoFloat } from '../../../schemas/go/index.js';
import { isInt, isTime, numberOf, TemplateExecError, typeName, type TValue } from './template-values.js';

/** cast.ToInt64: numbers truncated, numeric strings parsed, anything else 0. */
export function toInt64(v: TValue): number {
  const n = numberOf(v);
  if (n !== null) return Math.trunc(n);
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string') {
    const t = v.trim();
    if (/^[+-]?\d+$/.test(t)) return Number(t);
    if (/^[+-]?0[xX][0-9a-fA-F]+$/.test(t)) return parseInt(t, 16);
    return 0;
  }
  return 0;
}

/** cast.ToFloat64: numbers as they are, numeric strings parsed, anything else 0. */
export function toFloat64(v: TValue): number {
  const n = numberOf(v);
  if (n !== null) return n;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string') {
    const r = parseGoFloat(v);
    return r.ok ? r.value : 0;
  }
  return 0;
}

function toDecimal(x: number): { digits: bigint; scale: number } {
  const [mant = '0', exp = '0'] = x.toExponential().split('e');
  const neg = mant.startsWith('-');
  const [ip = '0', fp = ''] = mant.replace('-', '').split('.');
  let digits = BigInt(ip + fp);
  let scale = fp.length - parseInt(exp, 10);
  if (scale < 0) {
    digits *= 10n ** BigInt(-scale);
    scale = 0;
  }
  return { digits: neg ? -digits : digits, scale };
}

function fromDecimal(d: { digits: bigint; scale: number }): number {
  if (d.scale === 0) return Number(d.digits);
  const neg = d.digits < 0n;
  const s = (neg ? -d.digits : d.digits).toString().padStart(d.scale + 1, '0');
  return Number(`${neg ? '-' : ''}${s.slice(0, s.length - d.scale)}.${s.slice(s.length - d.scale)}`);
}

/** a + b in exact decimal arithmetic (shopspring/decimal from shortest float texts), as Sprig's addf. */
export function decimalAdd(a: number, b: number): number {
  if (!Number.isFinite(a) || !Number.isFinite(b)) return a + b;
  const x = toDecimal(a);
  const y = toDecimal(b);
  const scale = Math.max(x.scale, y.scale);
  const dx = x.digits * 10n ** BigInt(scale - x.scale);
  const dy = y.digits * 10n ** BigInt(scale - y.scale);
  return fromDecimal({ digits: dx + dy, scale });
}

/** a × b in exact decimal arithmetic, as Sprig's mulf. */
export function decimalMul(a: number, b: number): number {
  if (!Number.isFinite(a) || !Number.isFinite(b)) return a * b;
  const x = toDecimal(a);
  const y = toDecimal(b);
  return fromDecimal({ digits: x.digits * y.digits, scale: x.scale + y.scale });
}

/** a ÷ b in decimal arithmetic rounded to 16 decimal places, as Sprig's divf (shopspring/decimal DivisionPrecision). */
export function decimalDiv(a: number, b: number): number {
  if (!Number.isFinite(a) || !Number.isFinite(b)) return a / b;
  if (b === 0) throw new TemplateExecError('error calling divf: decimal division by 0');
  const x = toDecimal(a);
  const y = toDecimal(b);
  const shift = 16 + y.scale - x.scale + 1;
  let num = x.digits;
  let den = y.digits;
  if (shift >= 0) num *= 10n ** BigInt(shift);
  else den *= 10n ** BigInt(-shift);
  let q = num / den;
  const neg = q < 0n;
  if (neg) q = -q;
  q = (q + 5n) / 10n;
  return fromDecimal({ digits: neg ? -q : q, scale: 16 });
}

/** Go's Regexp.ReplaceAllString (template expansion) or ReplaceAllLiteralString. */
export function goReplaceAll(re: RegExp, src: string, repl: string, literal: boolean): string {
  const g = new RegExp(re.source, re.flags.includes('g') ? re.flags : re.flags + 'g');
  let out = '';
  let last = 0;
  let lastMatchEnd = -1;
  for (const m of src.matchAll(g)) {
    const at = m.index;
    if (m[0] === '' && at === lastMatchEnd) continue;
    out += src.slice(last, at);
    if (literal) out += repl;
    else {
      out += repl.replace(/\$(\$|\{([A-Za-z0-9_]+)\}|([A-Za-z0-9_]+))/g, (_x, whole: string, braced?: string, bare?: string) => {
        if (whole === '$') return '$';
        const name = braced ?? bare ?? '';
        if (/^\d+$/.test(name)) return m[Number(name)] ?? '';
        return m.groups?.[name] ?? '';
      });
    }
    last = at + m[0].length;
    lastMatchEnd = last;
  }
  return out + src.slice(last);
}

/** Go template's basic comparison; throws for incomparable kinds. Returns <0, 0, >0. */
export function compareBasic(a: TValue, b: TValue): number {
  const na = numberOf(a);
  const nb = numberOf(b);
  if (na !== null && nb !== null) {
    if (isInt(a) !== isInt(b)) throw new TemplateExecError('incompatible types for comparison');
    return na < nb ? -1 : na > nb ? 1 : 0;
  }
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'boolean' && typeof b === 'boolean') return a === b ? 0 : 1;
  if (isTime(a) && isTime(b)) return a.ns < b.ns ? -1 : a.ns > b.ns ? 1 : 0;
  if (a === null || b === null) return a === b ? 0 : 1;
  throw new TemplateExecError(`incompatible types for comparison: ${typeName(a)} and ${typeName(b)}`);
}
