/**
 * The functions Loki's `line_format` / `label_format` templates can call (pkg/logql/log/fmt.go
 * functionMap, the Sprig functions it imports, and Go's template builtins), with Go's and Sprig's
 * argument handling. Time-dependent functions take the line's timestamp and the `now` given to the
 * pipeline; nothing reads a clock. Pure.
 */
import { humanizeParseBytes, parseGoDuration } from '../../../schemas/go/index.js';
import { compileGoRegex } from '../regex/re2-compile.js';
import { formatGoTime, parseGoTime } from './go-time.js';
import { goSprintf } from './go-printf.js';
import { goInt, isInt, isTime, isTrue, numberOf, printValue, TemplateExecError, typeName, type GoTime, type TValue } from './template-values.js';
import { toFloat64, toInt64, decimalAdd, decimalDiv, decimalMul, goReplaceAll, compareBasic } from './template-coercion.js';

/** What a function sees besides its arguments. */
export interface CallContext {
  readonly line: string;
  readonly tsNs: bigint;
  readonly nowNs: bigint;
}

/** A template function. */
export type TemplateFunction = (args: readonly TValue[], ctx: CallContext) => TValue;

const fail = (msg: string): never => {
  throw new TemplateExecError(msg);
};

function str(v: TValue | undefined): string {
  if (typeof v === 'string') return v;
  return fail(`wrong type for value; expected string; got ${v === undefined ? 'nothing' : typeName(v)}`);
}

function int(v: TValue | undefined): number {
  const n = v === undefined ? null : numberOf(v);
  if (n !== null && Number.isInteger(n)) return n;
  return fail(`wrong type for value; expected int; got ${v === undefined ? 'nothing' : typeName(v)}`);
}

function time(v: TValue | undefined): GoTime {
  if (v !== undefined && isTime(v)) return v;
  return fail(`wrong type for value; expected time.Time; got ${v === undefined ? 'nothing' : typeName(v)}`);
}

const utc = (ns: bigint): GoTime => ({ kind: 'time', ns, offsetSec: 0, zone: 'UTC' });

function arity(name: string, args: readonly TValue[], n: number): void {
  if (args.length !== n) fail(`wrong number of args for ${name}: want ${n} got ${args.length}`);
}

const s1 = (name: string, f: (s: string) => string): TemplateFunction => (a) => (arity(name, a, 1), f(str(a[0])));
const s2 = (name: string, f: (x: string, y: string) => TValue): TemplateFunction => (a) => (arity(name, a, 2), f(str(a[0]), str(a[1])));

function cutset(s: string, set: string, left: boolean, right: boolean): string {
  const chars = new Set([...set]);
  const arr = [...s];
  let i = 0;
  let j = arr.length;
  while (left && i < j && chars.has(arr[i] as string)) i++;
  while (right && j > i && chars.has(arr[j - 1] as string)) j--;
  return arr.slice(i, j).join('');
}

const goTrimSpace = (s: string): string => s.replace(/^[\s\u0085]+|[\s\u0085]+$/gu, '');

function regexFn(pattern: string) {
  const r = compileGoRegex(pattern, { dotNL: false, anchored: false });
  if (!r.ok) return fail(r.error);
  return r.regex.re;
}

function urlQueryEscape(s: string): string {
  return encodeURIComponent(s).replace(/%20/g, '+').replace(/[!'()*~]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
}

function urlQueryUnescape(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    const bad = /%(?![0-9a-fA-F]{2}).{0,2}/.exec(s);
    return fail(`invalid URL escape ${JSON.stringify(bad?.[0] ?? '%')}`);
  }
}

function align(left: boolean) {
  return (a: readonly TValue[]): TValue => {
    const count = int(a[0]);
    const src = str(a[1]);
    const runes = [...src];
    if (count < 0 || count === runes.length) return src;
    const pad = count - runes.length;
    if (pad > 0) return left ? src + ' '.repeat(pad) : ' '.repeat(pad) + src;
    return left ? runes.slice(0, count).join('') : runes.slice(runes.length - count).join('');
  };
}

function unixToTime(epoch: string): TValue {
  const n = /^[+-]?\d+$/.test(epoch) ? BigInt(epoch) : null;
  if (n === null) return fail(`unable to parse time '${epoch}': strconv.ParseInt: parsing ${JSON.stringify(epoch)}: invalid syntax`);
  switch (epoch.length) {
    case 5: return utc(n * 86400n * 1_000_000_000n);
    case 10: return utc(n * 1_000_000_000n);
    case 13: return utc(n * 1_000_000n);
    case 16: return utc(n * 1000n);
    case 19: return utc(n);
    default: return fail(`unable to parse time '${epoch}': %!w(<nil>)`);
  }
}

function dateOf(v: TValue | undefined): GoTime {
  if (v !== undefined && isTime(v)) return v;
  const n = v === undefined ? null : numberOf(v);
  return utc(BigInt(Math.trunc(n ?? 0)) * 1_000_000_000n);
}

function isEmptyValue(v: TValue | undefined): boolean {
  return v === undefined || !isTrue(v);
}

function index(a: readonly TValue[]): TValue {
  let cur = a[0] ?? null;
  for (const k of a.slice(1)) {
    if (Array.isArray(cur)) {
      const i = int(k);
      if (i < 0 || i >= cur.length) return fail(`error calling index: index out of range: ${i}`);
      cur = cur[i] as TValue;
    } else if (cur !== null && typeof cur === 'object' && !isInt(cur) && !isTime(cur)) {
      cur = (cur as Record<string, TValue>)[str(k)] ?? null;
    } else if (typeof cur === 'string') {
      const i = int(k);
      cur = goInt(Buffer.from(cur)[i] ?? 0);
    } else return fail(`error calling index: can't index item of type ${cur === null ? 'interface {}' : typeName(cur)}`);
  }
  return cur;
}

function fromJson(text: string): TValue {
  try {
    return JSON.parse(text) as TValue;
  } catch {
    return null;
  }
}

/** Argument counts [min, max] (max -1 = variadic) Go checks before calling a function. */
export const FUNCTION_ARITY: ReadonlyMap<string, readonly [number, number]> = new Map<string, readonly [number, number]>([
  ['ToLower', [1, 1]], ['ToUpper', [1, 1]], ['Replace', [4, 4]], ['Trim', [2, 2]], ['TrimLeft', [2, 2]], ['TrimRight', [2, 2]],
  ['TrimPrefix', [2, 2]], ['TrimSuffix', [2, 2]], ['TrimSpace', [1, 1]], ['regexReplaceAll', [3, 3]],
  ['regexReplaceAllLiteral', [3, 3]], ['count', [2, 2]], ['urldecode', [1, 1]], ['urlencode', [1, 1]], ['bytes', [1, 1]],
  ['duration', [1, 1]], ['duration_seconds', [1, 1]], ['unixEpochMillis', [1, 1]], ['unixEpochNanos', [1, 1]],
  ['unixEpoch', [1, 1]], ['toDateInZone', [3, 3]], ['toDate', [2, 2]], ['date', [2, 2]], ['now', [0, 0]],
  ['unixToTime', [1, 1]], ['alignLeft', [2, 2]], ['alignRight', [2, 2]], ['b64dec', [1, 1]], ['b64enc', [1, 1]],
  ['__line__', [0, 0]], ['__timestamp__', [0, 0]], ['lower', [1, 1]], ['upper', [1, 1]], ['title', [1, 1]],
  ['trunc', [2, 2]], ['substr', [3, 3]], ['contains', [2, 2]], ['hasPrefix', [2, 2]], ['hasSuffix', [2, 2]],
  ['indent', [2, 2]], ['nindent', [2, 2]], ['replace', [3, 3]], ['repeat', [2, 2]], ['trim', [1, 1]], ['trimAll', [2, 2]],
  ['trimSuffix', [2, 2]], ['trimPrefix', [2, 2]], ['int', [1, 1]], ['float64', [1, 1]], ['add', [0, -1]], ['sub', [2, 2]],
  ['mul', [1, -1]], ['div', [2, 2]], ['mod', [2, 2]], ['addf', [0, -1]], ['subf', [1, -1]], ['mulf', [1, -1]],
  ['divf', [1, -1]], ['max', [1, -1]], ['min', [1, -1]], ['maxf', [1, -1]], ['minf', [1, -1]], ['ceil', [1, 1]],
  ['floor', [1, 1]], ['round', [2, -1]], ['fromJson', [1, 1]], ['default', [1, -1]], ['not', [1, 1]], ['len', [1, 1]],
  ['index', [1, -1]], ['printf', [1, -1]], ['and', [1, -1]], ['or', [1, -1]], ['eq', [1, -1]], ['ne', [2, 2]],
  ['lt', [2, 2]], ['le', [2, 2]], ['gt', [2, 2]], ['ge', [2, 2]],
]);

/** The functions by name. */
export const TEMPLATE_FUNCTIONS: ReadonlyMap<string, TemplateFunction> = new Map<string, TemplateFunction>([
  ['ToLower', s1('ToLower', (s) => s.toLowerCase())],
  ['ToUpper', s1('ToUpper', (s) => s.toUpperCase())],
  ['Replace', (a) => {
    arity('Replace', a, 4);
    const [s, o, n, k] = [str(a[0]), str(a[1]), str(a[2]), int(a[3])];
    if (k < 0) return s.split(o).join(n);
    let out = s;
    let from = 0;
    for (let i = 0; i < k; i++) {
      const at = out.indexOf(o, from);
      if (at < 0) break;
      out = out.slice(0, at) + n + out.slice(at + o.length);
      from = at + n.length + (o === '' ? 1 : 0);
    }
    return out;
  }],
  ['Trim', s2('Trim', (s, c) => cutset(s, c, true, true))],
  ['TrimLeft', s2('TrimLeft', (s, c) => cutset(s, c, true, false))],
  ['TrimRight', s2('TrimRight', (s, c) => cutset(s, c, false, true))],
  ['TrimPrefix', s2('TrimPrefix', (s, p) => (s.startsWith(p) ? s.slice(p.length) : s))],
  ['TrimSuffix', s2('TrimSuffix', (s, p) => (p !== '' && s.endsWith(p) ? s.slice(0, -p.length) : s))],
  ['TrimSpace', s1('TrimSpace', goTrimSpace)],
  ['regexReplaceAll', (a) => (arity('regexReplaceAll', a, 3), goReplaceAll(regexFn(str(a[0])), str(a[1]), str(a[2]), false))],
  ['regexReplaceAllLiteral', (a) => (arity('regexReplaceAllLiteral', a, 3), goReplaceAll(regexFn(str(a[0])), str(a[1]), str(a[2]), true))],
  ['count', (a) => {
    arity('count', a, 2);
    const re = new RegExp(regexFn(str(a[0])).source, 'gu');
    return goInt([...str(a[1]).matchAll(re)].length);
  }],
  ['urldecode', s1('urldecode', urlQueryUnescape)],
  ['urlencode', s1('urlencode', urlQueryEscape)],
  ['bytes', (a) => {
    const r = humanizeParseBytes(str(a[0]));
    return r.ok ? r.value : fail(r.error);
  }],
  ['duration', (a) => {
    const r = parseGoDuration(str(a[0]));
    return r.ok ? Number(r.value) / 1e9 : fail(r.error);
  }],
  ['duration_seconds', (a) => {
    const r = parseGoDuration(str(a[0]));
    return r.ok ? Number(r.value) / 1e9 : fail(r.error);
  }],
  ['unixEpochMillis', (a) => String(time(a[0]).ns / 1_000_000n)],
  ['unixEpochNanos', (a) => String(time(a[0]).ns)],
  ['unixEpoch', (a) => String(time(a[0]).ns / 1_000_000_000n)],
  ['toDateInZone', (a) => {
    const zone = str(a[1]);
    const t = parseGoTime(str(a[0]), str(a[2]), 0, zone === 'UTC' || zone === 'Local' || zone === '' ? 'UTC' : 'UTC');
    return t === null ? { kind: 'time', ns: -62135596800000000000n, offsetSec: 0, zone: 'UTC' } : { kind: 'time', ...t };
  }],
  ['toDate', (a) => {
    const t = parseGoTime(str(a[0]), str(a[1]), 0, 'UTC');
    return t === null ? { kind: 'time', ns: -62135596800000000000n, offsetSec: 0, zone: 'UTC' } : { kind: 'time', ...t };
  }],
  ['date', (a) => formatGoTime(dateOf(a[1]), str(a[0]))],
  ['now', (_a, ctx) => utc(ctx.nowNs)],
  ['unixToTime', (a) => unixToTime(str(a[0]))],
  ['alignLeft', align(true)],
  ['alignRight', align(false)],
  ['b64dec', (a) => {
    let v = str(a[0]);
    const rem = v.length % 4;
    if (rem !== 0 && rem !== 1) v += '='.repeat(4 - rem);
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(v) || v.length % 4 !== 0) return 'illegal base64 data at input byte 0';
    return Buffer.from(v, 'base64').toString('utf8');
  }],
  ['b64enc', s1('b64enc', (s) => Buffer.from(s, 'utf8').toString('base64'))],
  ['__line__', (_a, ctx) => ctx.line],
  ['__timestamp__', (_a, ctx) => utc(ctx.tsNs)],
  ['lower', s1('lower', (s) => s.toLowerCase())],
  ['upper', s1('upper', (s) => s.toUpperCase())],
  ['title', s1('title', (s) => s.replace(/(^|[^\p{L}\p{N}_'])(\p{L})/gu, (_m, p: string, c: string) => p + c.toUpperCase()))],
  ['trunc', (a) => {
    const c = int(a[0]);
    const s = str(a[1]);
    if (c < 0 && s.length + c > 0) return s.slice(s.length + c);
    if (c >= 0 && s.length > c) return s.slice(0, c);
    return s;
  }],
  ['substr', (a) => {
    const [start, end, s] = [int(a[0]), int(a[1]), str(a[2])];
    if (start < 0) return s.slice(0, end);
    if (end < 0 || end > s.length) return s.slice(start);
    return s.slice(start, end);
  }],
  ['contains', s2('contains', (sub, s) => s.includes(sub))],
  ['hasPrefix', s2('hasPrefix', (p, s) => s.startsWith(p))],
  ['hasSuffix', s2('hasSuffix', (p, s) => s.endsWith(p))],
  ['indent', (a) => {
    const pad = ' '.repeat(Math.max(0, int(a[0])));
    return pad + str(a[1]).split('\n').join('\n' + pad);
  }],
  ['nindent', (a) => {
    const pad = ' '.repeat(Math.max(0, int(a[0])));
    return '\n' + pad + str(a[1]).split('\n').join('\n' + pad);
  }],
  ['replace', (a) => (arity('replace', a, 3), str(a[2]).split(str(a[0])).join(str(a[1])))],
  ['repeat', (a) => str(a[1]).repeat(Math.max(0, int(a[0])))],
  ['trim', s1('trim', goTrimSpace)],
  ['trimAll', s2('trimAll', (c, s) => cutset(s, c, true, true))],
  ['trimSuffix', s2('trimSuffix', (p, s) => (p !== '' && s.endsWith(p) ? s.slice(0, -p.length) : s))],
  ['trimPrefix', s2('trimPrefix', (p, s) => (s.startsWith(p) ? s.slice(p.length) : s))],
  ['int', (a) => goInt(toInt64(a[0] ?? null))],
  ['float64', (a) => toFloat64(a[0] ?? null)],
  ['add', (a) => goInt(a.reduce((acc: number, v) => acc + toInt64(v), 0))],
  ['sub', (a) => goInt(toInt64(a[0] ?? null) - toInt64(a[1] ?? null))],
  ['mul', (a) => goInt(a.slice(1).reduce((acc: number, v) => acc * toInt64(v), toInt64(a[0] ?? null)))],
  ['div', (a) => {
    const d = toInt64(a[1] ?? null);
    return d === 0 ? fail('error calling div: runtime error: integer divide by zero') : goInt(Math.trunc(toInt64(a[0] ?? null) / d));
  }],
  ['mod', (a) => {
    const d = toInt64(a[1] ?? null);
    return d === 0 ? fail('error calling mod: runtime error: integer divide by zero') : goInt(toInt64(a[0] ?? null) % d);
  }],
  ['addf', (a) => a.reduce((acc: number, v) => decimalAdd(acc, toFloat64(v)), 0)],
  ['subf', (a) => a.slice(1).reduce((acc: number, v) => decimalAdd(acc, -toFloat64(v)), toFloat64(a[0] ?? null))],
  ['mulf', (a) => a.slice(1).reduce((acc: number, v) => decimalMul(acc, toFloat64(v)), toFloat64(a[0] ?? null))],
  ['divf', (a) => a.slice(1).reduce((acc: number, v) => decimalDiv(acc, toFloat64(v)), toFloat64(a[0] ?? null))],
  ['max', (a) => goInt(Math.max(...a.map((v) => toInt64(v))))],
  ['min', (a) => goInt(Math.min(...a.map((v) => toInt64(v))))],
  ['maxf', (a) => Math.max(...a.map((v) => toFloat64(v)))],
  ['minf', (a) => Math.min(...a.map((v) => toFloat64(v)))],
  ['ceil', (a) => Math.ceil(toFloat64(a[0] ?? null))],
  ['floor', (a) => Math.floor(toFloat64(a[0] ?? null))],
  ['round', (a) => {
    const v = toFloat64(a[0] ?? null);
    const p = int(a[1]);
    const half = a[2] === undefined ? 0.5 : toFloat64(a[2]);
    const pow = Math.pow(10, p);
    const digit = v * pow;
    const frac = digit - Math.trunc(digit);
    const rounded = frac >= half ? Math.ceil(digit) : Math.floor(digit);
    return rounded / pow;
  }],
  ['fromJson', (a) => fromJson(str(a[0]))],
  ['default', (a) => (isEmptyValue(a[1]) ? (a[0] ?? null) : (a[1] as TValue))],
  ['and', (a) => {
    for (const v of a) if (!isTrue(v)) return v;
    return a[a.length - 1] ?? null;
  }],
  ['or', (a) => {
    for (const v of a) if (isTrue(v)) return v;
    return a[a.length - 1] ?? null;
  }],
  ['not', (a) => !isTrue(a[0] ?? null)],
  ['len', (a) => {
    const v = a[0] ?? null;
    if (typeof v === 'string') return goInt(Buffer.byteLength(v));
    if (Array.isArray(v)) return goInt(v.length);
    if (v !== null && typeof v === 'object' && !isInt(v) && !isTime(v)) return goInt(Object.keys(v).length);
    return fail(`error calling len: len of type ${v === null ? '<nil>' : typeName(v)}`);
  }],
  ['index', index],
  ['print', (a) => a.map((v, i) => (i > 0 && typeof v !== 'string' && typeof a[i - 1] !== 'string' ? ' ' : '') + printValue(v)).join('')],
  ['println', (a) => a.map(printValue).join(' ') + '\n'],
  ['printf', (a) => goSprintf(str(a[0]), a.slice(1))],
  ['eq', (a) => a.slice(1).some((b) => compareBasic(a[0] ?? null, b) === 0)],
  ['ne', (a) => compareBasic(a[0] ?? null, a[1] ?? null) !== 0],
  ['lt', (a) => compareBasic(a[0] ?? null, a[1] ?? null) < 0],
  ['le', (a) => compareBasic(a[0] ?? null, a[1] ?? null) <= 0],
  ['gt', (a) => compareBasic(a[0] ?? null, a[1] ?? null) > 0],
  ['ge', (a) => compareBasic(a[0] ?? null, a[1] ?? null) >= 0],
  ['urlquery', (a) => urlQueryEscape(a.map(printValue).join(''))],
  ['html', (a) => a.map(printValue).join('').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&#34;').replace(/'/g, '&#39;')],
  ['js', (a) => a.map(printValue).join('').replace(/[\\'"<>&=]/g, (c) => `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`)],
]);
