/**
 * Go's fmt verbs as templates use them through `printf`: %s %v %d %f %e %g %q %x %X %t %c %%, with
 * width, precision and the `-`, `+`, `0`, space flags. Pure.
 */
import { formatGoFloatPrecisionG, formatGoFloatV, quoteGo } from '../../../schemas/go/index.js';
import { isInt, numberOf, printValue, typeName, type TValue } from './template-values.js';

function padTo(s: string, width: number, left: boolean, zero: boolean): string {
  if (width <= s.length) return s;
  if (left) return s + ' '.repeat(width - s.length);
  if (zero) {
    const sign = s[0] === '-' || s[0] === '+' ? (s[0] as string) : '';
    return sign + '0'.repeat(width - s.length) + s.slice(sign.length);
  }
  return ' '.repeat(width - s.length) + s;
}

function formatOne(verb: string, v: TValue | undefined, flags: string, prec: number | null): string {
  if (v === undefined) return `%!${verb}(MISSING)`;
  const plus = flags.includes('+');
  const sign = (n: number, text: string): string => (n >= 0 && plus ? '+' + text : flags.includes(' ') && n >= 0 ? ' ' + text : text);
  switch (verb) {
    case 'v':
    case 's': {
      let s = printValue(v);
      if (verb === 's' && typeof v !== 'string' && !isInt(v) && typeof v !== 'number' && typeof v !== 'boolean' && v !== null) s = printValue(v);
      if (verb === 's' && (isInt(v) || typeof v === 'number')) s = `%!s(${typeName(v)}=${printValue(v)})`;
      return prec !== null ? s.slice(0, prec) : s;
    }
    case 'd': {
      const n = numberOf(v);
      if (n === null || (typeof v === 'number' && !Number.isInteger(v))) return `%!d(${typeName(v)}=${printValue(v)})`;
      return sign(n, String(Math.trunc(n)));
    }
    case 'f':
    case 'F':
    case 'e':
    case 'g': {
      const n = numberOf(v);
      if (n === null || isInt(v)) return `%!${verb}(${typeName(v)}=${printValue(v)})`;
      if (verb === 'g') return sign(n, prec === null ? formatGoFloatV(n) : formatGoFloatPrecisionG(n, prec));
      if (verb === 'e') return sign(n, n.toExponential(prec ?? 6).replace(/e([+-])(\d)$/, 'e$10$2'));
      return sign(n, n.toFixed(prec ?? 6));
    }
    case 't':
      return typeof v === 'boolean' ? String(v) : `%!t(${typeName(v)}=${printValue(v)})`;
    case 'q':
      return typeof v === 'string' ? quoteGo(v) : `%!q(${typeName(v)}=${printValue(v)})`;
    case 'x':
    case 'X': {
      const n = numberOf(v);
      let s: string;
      if (typeof v === 'string') s = Buffer.from(v, 'utf8').toString('hex');
      else if (n !== null && Number.isInteger(n)) s = (n < 0 ? '-' : '') + Math.abs(n).toString(16);
      else return `%!${verb}(${typeName(v)}=${printValue(v)})`;
      return verb === 'X' ? s.toUpperCase() : s;
    }
    case 'c': {
      const n = numberOf(v);
      return n === null ? `%!c(${typeName(v)}=${printValue(v)})` : String.fromCodePoint(n);
    }
    default:
      return `%!${verb}(${typeName(v)}=${printValue(v)})`;
  }
}

/** Go's fmt.Sprintf. */
export function goSprintf(format: string, args: readonly TValue[]): string {
  let out = '';
  let argi = 0;
  for (let i = 0; i < format.length; i++) {
    const c = format[i] as string;
    if (c !== '%') {
      out += c;
      continue;
    }
    const m = /^([-+# 0]*)(\d+)?(?:\.(\d*))?([a-zA-Z%])/.exec(format.slice(i + 1));
    if (m === null) {
      out += '%!(NOVERB)';
      break;
    }
    i += m[0].length;
    const verb = m[4] as string;
    if (verb === '%') {
      out += '%';
      continue;
    }
    const flags = m[1] ?? '';
    const width = m[2] === undefined ? 0 : Number(m[2]);
    const prec = m[3] === undefined ? null : Number(m[3] || '0');
    const s = formatOne(verb, args[argi++], flags, prec);
    out += padTo(s, width, flags.includes('-'), flags.includes('0') && 'dfFeg'.includes(verb));
  }
  if (argi < args.length) out += `%!(EXTRA ${args.slice(argi).map((a) => `${typeName(a)}=${printValue(a)}`).join(', ')})`;
  return out;
}
