/**
 * Go's strconv.ParseFloat(s, 64) (src/strconv/atof.go), as Loki reads numbers in LogQL and query
 * parameters: decimal and hexadecimal (`0x1p-2`, underscores between digits) forms, `inf`,
 * `infinity` and `nan` in any case with a sign; out-of-range values are an error, not ±Inf; errors
 * carry Go's NumError text (`strconv.ParseFloat: parsing "x": invalid syntax`). Pure.
 */
import type { GoParse } from './go-parse.js';
import { quoteGo } from './strconv-quote.js';

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
  const n = s.length;
  if (n > 0 && n <= 15) {
    // plain digits (the common case, e.g. a status code): exact as a double, no pattern needed
    let v = 0;
    let i = 0;
    for (; i < n; i++) {
      const c = s.charCodeAt(i) - 0x30;
      if (c < 0 || c > 9) break;
      v = v * 10 + c;
    }
    if (i === n) return { ok: true, value: v };
  }
  const fail = (why: string): GoParse<number> => ({ ok: false, error: `strconv.ParseFloat: parsing ${quoteGo(s)}: ${why}` });
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

