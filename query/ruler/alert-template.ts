/**
 * Alert label and annotation templates, as Prometheus expands them (`V:template/template.go`):
 * Go text/template with `$labels`, `$externalLabels`, `$externalURL` and `$value` declared, the
 * `missingkey=zero` option, and Prometheus' functions (humanize…, match, reReplaceAll, title,
 * toUpper, stripPort, parseDuration, externalURL, …) beside Go's builtins. The `query` function
 * is not offered: templates here expand synchronously. A failed expansion reads
 * `<error expanding template: …>`, as Prometheus writes it. Pure.
 */
import { formatGoFloatPrecisionG, parseGoFloat, parsePromDuration } from '../../schemas/go/index.js';
import {
  TEMPLATE_FUNCTIONS, TemplateExecError, compileGoRegex, compileTemplate, goReplaceAll, numberOf, printValue,
  type CompiledTemplate, type TValue, type TemplateFunction, type TemplateFunctionSet,
} from '../logql/index.js';

/** What an alert's templates see. */
export interface AlertTemplateData {
  readonly labels: Readonly<Record<string, string>>;
  readonly externalLabels: Readonly<Record<string, string>>;
  readonly externalUrl: string;
  readonly value: number;
}

const DEFS = '{{$labels := .Labels}}{{$externalLabels := .ExternalLabels}}{{$externalURL := .ExternalURL}}{{$value := .Value}}';

const fail = (msg: string): never => {
  throw new TemplateExecError(msg);
};

function toFloat(v: TValue | undefined): number {
  if (typeof v === 'string') {
    const r = parseGoFloat(v);
    return r.ok ? r.value : fail(r.error);
  }
  const n = v === undefined ? null : numberOf(v);
  return n === null ? fail(`can't convert ${v === undefined || v === null ? '<nil>' : typeof v} to float`) : n;
}

function str(v: TValue | undefined): string {
  return typeof v === 'string' ? v : fail(`wrong type for value; expected string; got ${v === null || v === undefined ? '<nil>' : typeof v}`);
}

const g4 = (v: number): string => formatGoFloatPrecisionG(v, 4);

function scaled(v: number, prefixes: readonly string[], down: number, up: boolean): string {
  let prefix = '';
  for (const p of prefixes) {
    if (up ? Math.abs(v) < down : Math.abs(v) >= 1) break;
    prefix = p;
    v = up ? v / down : v * down;
  }
  return g4(v) + prefix;
}

function humanize(v: number): string {
  if (v === 0 || !Number.isFinite(v)) return g4(v);
  return Math.abs(v) >= 1 ? scaled(v, ['k', 'M', 'G', 'T', 'P', 'E', 'Z', 'Y'], 1000, true) : scaled(v, ['m', 'u', 'n', 'p', 'f', 'a', 'z', 'y'], 1000, false);
}

function humanizeDuration(v: number): string {
  if (!Number.isFinite(v)) return g4(v);
  if (v === 0) return `${g4(v)}s`;
  if (Math.abs(v) >= 1) {
    const sign = v < 0 ? '-' : '';
    const total = Math.trunc(Math.abs(v));
    const [s, m, h, d] = [total % 60, Math.trunc(total / 60) % 60, Math.trunc(total / 3600) % 24, Math.trunc(total / 86400)];
    if (d !== 0) return `${sign}${d}d ${h}h ${m}m ${s}s`;
    if (h !== 0) return `${sign}${h}h ${m}m ${s}s`;
    if (m !== 0) return `${sign}${m}m ${s}s`;
    return `${sign}${g4(Math.abs(v))}s`;
  }
  return `${scaled(v, ['m', 'u', 'n', 'p', 'f', 'a', 'z', 'y'], 1000, false)}s`;
}

function toTime(v: number): TValue {
  if (!Number.isFinite(v)) return fail('value is NaN or Inf');
  return { kind: 'time', ns: BigInt(Math.round(v * 1e9)), offsetSec: 0, zone: 'UTC' };
}

function splitHostPort(hostPort: string): { host: string; port: string } | null {
  const m = /^\[([^\]]*)\]:(\d*)$/.exec(hostPort) ?? /^([^:]*):(\d*)$/.exec(hostPort);
  return m ? { host: m[1] as string, port: m[2] as string } : null;
}

function stripDomain(hostPort: string): string {
  const hp = splitHostPort(hostPort);
  const host = hp?.host ?? hostPort;
  if (/^\d+\.\d+\.\d+\.\d+$/.test(host) || host.includes(':')) return hostPort;
  const short = host.split('.')[0] as string;
  if (!hp || hp.port === '') return short;
  return `${short}:${hp.port}`;
}

function regex(pattern: string): RegExp {
  const r = compileGoRegex(pattern, { dotNL: false, anchored: false });
  return r.ok ? r.regex.re : fail(r.error);
}

const BUILTINS = ['printf', 'len', 'index', 'eq', 'ne', 'lt', 'le', 'gt', 'ge', 'and', 'or', 'not'];

/** Prometheus' alert template functions, with `externalURL` and `pathPrefix` answering `externalUrl`. */
export function alertTemplateFunctions(externalUrl: string): TemplateFunctionSet {
  const num = (f: (v: number) => string): TemplateFunction => (a) => f(toFloat(a[0]));
  const functions = new Map<string, TemplateFunction>([
    ['humanize', num(humanize)],
    ['humanize1024', num((v) => (Math.abs(v) <= 1 || !Number.isFinite(v) ? g4(v) : scaled(v, ['ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei', 'Zi', 'Yi'], 1024, true)))],
    ['humanizeDuration', num(humanizeDuration)],
    ['humanizePercentage', num((v) => `${g4(v * 100)}%`)],
    ['humanizeTimestamp', num((v) => printValue(toTime(v)))],
    ['toTime', (a) => toTime(toFloat(a[0]))],
    ['now', (_a, ctx) => Number(ctx.tsNs / 1_000_000n) / 1000],
    ['title', (a) => str(a[0]).replace(/(^|[^\p{L}\p{N}'])(\p{L})/gu, (_m, pre: string, c: string) => pre + c.toUpperCase())],
    ['toUpper', (a) => str(a[0]).toUpperCase()],
    ['toLower', (a) => str(a[0]).toLowerCase()],
    ['match', (a) => regex(str(a[0])).test(str(a[1]))],
    ['reReplaceAll', (a) => goReplaceAll(regex(str(a[0])), str(a[2]), str(a[1]), false)],
    ['safeHtml', (a) => str(a[0])],
    ['stripPort', (a) => splitHostPort(str(a[0]))?.host ?? str(a[0])],
    ['stripDomain', (a) => stripDomain(str(a[0]))],
    ['parseDuration', (a) => {
      const text = str(a[0]);
      const neg = text.startsWith('-');
      const d = parsePromDuration(neg ? text.slice(1) : text);
      return d.ok ? (neg ? -1 : 1) * Number(d.value) / 1e9 : fail(d.error);
    }],
    ['externalURL', () => externalUrl],
    ['pathPrefix', () => {
      const m = /^[a-z][a-z0-9+.-]*:\/\/[^/]*(\/[^?#]*)?/i.exec(externalUrl);
      return m?.[1] ?? '';
    }],
    ['urlQueryEscape', (a) => encodeURIComponent(str(a[0])).replace(/%20/g, '+').replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)],
    ['args', (a) => Object.fromEntries(a.map((v, i) => [`arg${i}`, v]))],
  ]);
  const arity = new Map<string, readonly [number, number]>([
    ['humanize', [1, 1]], ['humanize1024', [1, 1]], ['humanizeDuration', [1, 1]], ['humanizePercentage', [1, 1]],
    ['humanizeTimestamp', [1, 1]], ['toTime', [1, 1]], ['now', [0, 0]], ['title', [1, 1]], ['toUpper', [1, 1]],
    ['toLower', [1, 1]], ['match', [2, 2]], ['reReplaceAll', [3, 3]], ['safeHtml', [1, 1]], ['stripPort', [1, 1]],
    ['stripDomain', [1, 1]], ['parseDuration', [1, 1]], ['externalURL', [0, 0]], ['pathPrefix', [0, 0]],
    ['urlQueryEscape', [1, 1]], ['args', [0, -1]],
  ]);
  for (const name of BUILTINS) {
    const fn = TEMPLATE_FUNCTIONS.get(name);
    if (fn) functions.set(name, fn);
  }
  return { functions, arity };
}

/** A rule's label or annotation template, compiled once. */
export interface AlertTemplate {
  /** The expanded text, or Prometheus' `<error expanding template: …>`. */
  expand(data: AlertTemplateData, evalMs: number): string;
}

/**
 * Compile `text` as the template named `__alert_<alert>`; throws TemplateParseError with Go's
 * message (what validation reports as `label "k": …`).
 */
export function compileAlertTemplate(alert: string, text: string, fns: TemplateFunctionSet): AlertTemplate {
  if (!text.includes('{{')) return { expand: () => text };
  const tmpl: CompiledTemplate = compileTemplate(`__alert_${alert}`, DEFS + text, fns);
  return {
    expand(data, evalMs) {
      const tdata: Record<string, TValue> = {
        Labels: { ...data.labels },
        ExternalLabels: { ...data.externalLabels },
        ExternalURL: data.externalUrl,
        Value: data.value,
      };
      try {
        return tmpl.execute(tdata, { line: '', tsNs: BigInt(evalMs) * 1_000_000n, nowNs: BigInt(evalMs) * 1_000_000n });
      } catch (err) {
        return `<error expanding template: ${err instanceof Error ? err.message : String(err)}>`;
      }
    },
  };
}
