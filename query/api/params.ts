/**
 * Loki's HTTP query parameters, parsed with Loki's defaults and error texts
 * (`L:pkg/loghttp/params.go`, `query.go`, `labels.go`, `series.go`, `tail.go`, `patterns.go`).
 * Timestamps are bigint nanoseconds; `nowNs` is an argument. Every error is
 * FjordError('bad_request') carrying Loki's message. Pure.
 */
import { FjordError } from '../../schemas/index.js';
import { parseGoFloat, parsePromDuration, parseRfc3339Nano, quoteGo, strconvParseInt } from '../../schemas/go/index.js';
import type { Direction } from '../engine/query-backend.js';

/** A request's parameters: POST form values first, then the URL query, as Go's `r.Form`. */
export interface RequestForm {
  /** The first value of `name`, or undefined. */
  get(name: string): string | undefined;
  /** Every value of `name`, in order. */
  getAll(name: string): readonly string[];
}

/** Build a form from a URL query string and an optional `application/x-www-form-urlencoded` body. */
export function formFromStrings(queryString: string, body: string | null): RequestForm {
  const pairs: Array<[string, string]> = [];
  if (body !== null && body !== '') for (const p of new URLSearchParams(body)) pairs.push(p);
  for (const p of new URLSearchParams(queryString)) pairs.push(p);
  return {
    get: (name) => pairs.find(([k]) => k === name)?.[1],
    getAll: (name) => pairs.filter(([k]) => k === name).map(([, v]) => v),
  };
}

const SECOND_NS = 1_000_000_000n;
const MIN_INT64 = -(1n << 63n);
const MAX_UINT32 = 4294967295;
/** Loki's defaultQueryLimit. */
export const DEFAULT_QUERY_LIMIT = 100;
/** Loki's defaultLimit (detected fields). */
export const DEFAULT_DETECTED_LIMIT = 1000;
/** Loki's defaultSince. */
export const DEFAULT_SINCE_NS = 3600n * SECOND_NS;
/** Loki's maxDelayForInTailing, in seconds. */
export const MAX_TAIL_DELAY_S = 5;
/** Loki's defaultVolumeLimit. */
export const DEFAULT_VOLUME_LIMIT = 100;

export const ERR_END_BEFORE_START = 'end timestamp must not be before or equal to start time';
export const ERR_ZERO_OR_NEGATIVE_STEP = 'zero or negative query resolution step widths are not accepted. Try a positive integer';
export const ERR_STEP_TOO_SMALL = 'exceeded maximum resolution of 11,000 points per time series. Try increasing the value of the step parameter';
export const ERR_NEGATIVE_INTERVAL = 'interval must be >= 0';
export const ERR_LIMIT_NOT_POSITIVE = 'limit must be a positive value';

function bad(message: string): FjordError {
  return new FjordError('bad_request', message);
}

/** Go's strconv.Atoi with a default for the empty string (Loki's parseInt). */
function parseIntParam(value: string | undefined, def: number): number {
  if (value === undefined || value === '') return def;
  const r = strconvParseInt(value, 'Atoi');
  if (!r.ok) throw bad(r.error);
  return Number(r.value);
}

function roundHalfAway(x: number): number {
  return x < 0 ? -Math.round(-x) : Math.round(x);
}

/**
 * Loki's parseTimestamp: empty → `defNs`; a value with `.` → float seconds (ms precision); an
 * integer of at most 10 characters → seconds, longer → nanoseconds; else RFC3339Nano. Throws
 * FjordError('bad_request') with Go's strconv.ParseInt error text.
 */
export function parseTimestamp(value: string | undefined, defNs: bigint): bigint {
  if (value === undefined || value === '') return defNs;
  if (value.includes('.')) {
    const f = parseGoFloat(value);
    if (f.ok && Number.isFinite(f.value)) {
      const whole = Math.trunc(f.value);
      const frac = roundHalfAway((f.value - whole) * 1000) / 1000;
      return BigInt(whole) * SECOND_NS + BigInt(Math.trunc(frac * 1e9));
    }
  }
  const n = strconvParseInt(value);
  if (!n.ok) {
    const t = parseRfc3339Nano(value);
    if (t !== null) return t;
    throw bad(n.error);
  }
  return value.length <= 10 ? n.value * SECOND_NS : n.value;
}

/** Loki's determineBounds: `end` defaults to now, `start` to min(end, now) − since (1h). */
export function determineBounds(nowNs: bigint, start: string | undefined, end: string | undefined, since: string | undefined): { startNs: bigint; endNs: bigint } {
  let sinceNs = DEFAULT_SINCE_NS;
  if (since !== undefined && since !== '') {
    const d = parsePromDuration(since);
    if (!d.ok) throw bad(`could not parse 'since' parameter: ${d.error}`);
    sinceNs = d.value;
  }
  let endNs: bigint;
  try {
    endNs = parseTimestamp(end, nowNs);
  } catch (err) {
    throw bad(`could not parse 'end' parameter: ${(err as Error).message}`);
  }
  const endOrNow = endNs > nowNs ? nowNs : endNs;
  let startNs: bigint;
  try {
    startNs = parseTimestamp(start, endOrNow - sinceNs);
  } catch (err) {
    throw bad(`could not parse 'start' parameter: ${(err as Error).message}`);
  }
  return { startNs, endNs };
}

function bounds(form: RequestForm, nowNs: bigint): { startNs: bigint; endNs: bigint } {
  return determineBounds(nowNs, form.get('start'), form.get('end'), form.get('since'));
}

/** Loki's parseSecondsOrDuration: float seconds, or a Prometheus duration; nanoseconds. */
export function parseSecondsOrDuration(value: string): bigint {
  const f = parseGoFloat(value);
  if (f.ok) {
    if (Number.isNaN(f.value)) return MIN_INT64; // Go converts NaN to the smallest int64 on amd64
    const ts = f.value * 1e9;
    if (ts > 9223372036854775807 || ts < -9223372036854775808) throw bad(`cannot parse ${quoteGo(value)} to a valid duration. It overflows int64`);
    return BigInt(Math.trunc(ts));
  }
  const d = parsePromDuration(value);
  if (d.ok) return d.value;
  throw bad(`cannot parse ${quoteGo(value)} to a valid duration`);
}

/** Loki's defaultQueryRangeStep: max(floor((end − start) / 250 s), 1) seconds, in ns. */
export function defaultStepNs(startNs: bigint, endNs: bigint): bigint {
  const seconds = Math.floor(Number(endNs - startNs) / 1e9 / 250);
  return BigInt(Math.max(seconds, 1)) * SECOND_NS;
}

function parseLimit(form: RequestForm, name = 'limit'): number {
  const l = parseIntParam(form.get(name), DEFAULT_QUERY_LIMIT);
  if (l <= 0) throw bad(ERR_LIMIT_NOT_POSITIVE);
  if (l > MAX_UINT32) throw bad(`${name} value ${l} is out of range [0, ${MAX_UINT32}]`);
  return l;
}

function parseDirection(form: RequestForm): Direction {
  const v = form.get('direction');
  if (v === undefined || v === '') return 'backward';
  const upper = v.toUpperCase();
  if (upper === 'FORWARD') return 'forward';
  if (upper === 'BACKWARD') return 'backward';
  throw bad(`invalid direction '${v}'`);
}

function parseStep(form: RequestForm, startNs: bigint, endNs: bigint): bigint {
  const v = form.get('step');
  if (v === undefined || v === '') return defaultStepNs(startNs, endNs);
  return parseSecondsOrDuration(v);
}

function checkStep(stepNs: bigint, startNs: bigint, endNs: bigint): void {
  if (stepNs <= 0n) throw bad(ERR_ZERO_OR_NEGATIVE_STEP);
  if ((endNs - startNs) / stepNs > 11000n) throw bad(ERR_STEP_TOO_SMALL);
}

/** A range query (`/loki/api/v1/query_range`, legacy `/api/prom/query`). */
export interface RangeQueryParams {
  readonly query: string;
  readonly startNs: bigint;
  readonly endNs: bigint;
  readonly stepNs: bigint;
  readonly intervalNs: bigint;
  readonly limit: number;
  readonly direction: Direction;
}

/** Loki's ParseRangeQuery (without the legacy `regexp` rewrite, which the route applies). */
export function parseRangeQuery(form: RequestForm, nowNs: bigint): RangeQueryParams {
  const query = form.get('query') ?? '';
  const { startNs, endNs } = bounds(form, nowNs);
  if (endNs < startNs) throw bad(ERR_END_BEFORE_START);
  const limit = parseLimit(form);
  const direction = parseDirection(form);
  const stepNs = parseStep(form, startNs, endNs);
  checkStep(stepNs, startNs, endNs);
  const iv = form.get('interval');
  const intervalNs = iv === undefined || iv === '' ? 0n : parseSecondsOrDuration(iv);
  if (intervalNs < 0n) throw bad(ERR_NEGATIVE_INTERVAL);
  return { query, startNs, endNs, stepNs, intervalNs, limit, direction };
}

/** An instant query (`/loki/api/v1/query`). */
export interface InstantQueryParams {
  readonly query: string;
  readonly timeNs: bigint;
  readonly limit: number;
  readonly direction: Direction;
}

/** Loki's ParseInstantQuery: `time` defaults to now; its parse error is not wrapped. */
export function parseInstantQuery(form: RequestForm, nowNs: bigint): InstantQueryParams {
  const query = form.get('query') ?? '';
  const limit = parseLimit(form);
  const timeNs = parseTimestamp(form.get('time'), nowNs);
  const direction = parseDirection(form);
  return { query, timeNs, limit, direction };
}

/** A label names or label values query. */
export interface LabelQueryParams {
  readonly startNs: bigint;
  readonly endNs: bigint;
  readonly query: string;
}

/** Loki's ParseLabelQuery (the name comes from the path). */
export function parseLabelQuery(form: RequestForm, nowNs: bigint): LabelQueryParams {
  const { startNs, endNs } = bounds(form, nowNs);
  return { startNs, endNs, query: form.get('query') ?? '' };
}

/** A series query: matcher groups, deduplicated and sorted; a lone `{}` means all series. */
export interface SeriesQueryParams {
  readonly startNs: bigint;
  readonly endNs: bigint;
  readonly groups: readonly string[];
}

/** Loki's ParseSeriesQuery: `match[]` and `match`, union, sorted; `{}` alone is no matcher. */
export function parseSeriesQuery(form: RequestForm, nowNs: bigint): SeriesQueryParams {
  const { startNs, endNs } = bounds(form, nowNs);
  let groups = [...new Set([...form.getAll('match'), ...form.getAll('match[]')])].sort();
  if (groups.length === 1 && (groups[0] as string).replaceAll(' ', '') === '{}') groups = [];
  return { startNs, endNs, groups };
}

/** A live tail request. */
export interface TailParams {
  readonly query: string;
  readonly limit: number;
  readonly startNs: bigint;
  readonly delayForS: number;
}

/** Loki's ParseTailQuery, after the query has been parsed (the route parses it first, as Loki). */
export function parseTailParams(form: RequestForm, nowNs: bigint): TailParams {
  const limit = parseLimit(form);
  const { startNs } = bounds(form, nowNs);
  const delay = parseIntParam(form.get('delay_for'), 0);
  if (delay < 0 || delay > MAX_UINT32) throw bad(`delay_for value ${delay} is out of range [0, ${MAX_UINT32}]`);
  if (delay > MAX_TAIL_DELAY_S) throw bad(`delay_for can't be greater than ${MAX_TAIL_DELAY_S}`);
  return { query: form.get('query') ?? '', limit, startNs, delayForS: delay };
}

/** A detected fields (or detected field values) request. */
export interface DetectedFieldsParams {
  readonly query: string;
  readonly startNs: bigint;
  readonly endNs: bigint;
  readonly lineLimit: number;
  readonly limit: number;
  readonly stepNs: bigint;
}

/** Loki's ParseDetectedFieldsQuery. */
export function parseDetectedFieldsQuery(form: RequestForm, nowNs: bigint): DetectedFieldsParams {
  const query = form.get('query') ?? '';
  const { startNs, endNs } = bounds(form, nowNs);
  if (endNs < startNs) throw bad(ERR_END_BEFORE_START);
  const lineLimit = parseLimit(form, 'line_limit');
  let raw = form.get('limit');
  if (raw === undefined || raw === '') raw = form.get('field_limit');
  const limit = parseIntParam(raw, DEFAULT_DETECTED_LIMIT);
  if (limit <= 0) throw bad(ERR_LIMIT_NOT_POSITIVE);
  if (limit > MAX_UINT32) throw bad(`limit value ${limit} is out of range [0, ${MAX_UINT32}]`);
  const stepNs = parseStep(form, startNs, endNs);
  if (stepNs / 1_000_000n <= 0n) throw bad(ERR_ZERO_OR_NEGATIVE_STEP);
  if ((endNs - startNs) / stepNs > 11000n) throw bad(ERR_STEP_TOO_SMALL);
  return { query, startNs, endNs, lineLimit, limit, stepNs };
}

/** A detected labels request. */
export interface DetectedLabelsParams {
  readonly query: string;
  readonly startNs: bigint;
  readonly endNs: bigint;
}

/** Loki's ParseDetectedLabelsQuery. */
export function parseDetectedLabelsQuery(form: RequestForm, nowNs: bigint): DetectedLabelsParams {
  const { startNs, endNs } = bounds(form, nowNs);
  if (endNs < startNs) throw bad(ERR_END_BEFORE_START);
  return { query: form.get('query') ?? '', startNs, endNs };
}

/** How volume is grouped (Loki's seriesvolume `aggregateBy`). */
export type VolumeAggregation = 'series' | 'labels';

/** An index volume request; `stepNs` 0 for the instant endpoint. */
export interface VolumeParams {
  readonly query: string;
  readonly startNs: bigint;
  readonly endNs: bigint;
  readonly stepNs: bigint;
  readonly limit: number;
  readonly targetLabels: readonly string[];
  readonly aggregateBy: VolumeAggregation;
}

function volumeLimit(form: RequestForm): number {
  const l = parseIntParam(form.get('limit'), DEFAULT_VOLUME_LIMIT);
  if (l === 0) return DEFAULT_VOLUME_LIMIT;
  if (l < 0) throw bad(ERR_LIMIT_NOT_POSITIVE);
  if (l > MAX_UINT32) throw bad(`limit value ${l} is out of range [0, ${MAX_UINT32}]`);
  return l;
}

function volumeAggregateBy(form: RequestForm): VolumeAggregation {
  const v = form.get('aggregateBy');
  if (v === undefined || v === '') return 'series';
  if (v === 'series' || v === 'labels') return v;
  throw bad('invalid aggregation option');
}

function targetLabels(form: RequestForm): string[] {
  const raw = form.get('targetLabels') ?? '';
  return raw === '' ? [] : raw.split(',');
}

/** Loki's ParseVolumeInstantQuery (`range` false) or ParseVolumeRangeQuery (`range` true). */
export function parseVolumeQuery(form: RequestForm, nowNs: bigint, range: boolean): VolumeParams {
  const limit = volumeLimit(form);
  if (range) {
    const r = parseRangeQuery(withDefault(form, 'limit', String(limit)), nowNs);
    const aggregateBy = volumeAggregateBy(form);
    return { query: r.query, startNs: r.startNs, endNs: r.endNs, stepNs: r.stepNs, limit, targetLabels: targetLabels(form), aggregateBy };
  }
  parseInstantQuery(withDefault(form, 'limit', String(limit)), nowNs);
  const aggregateBy = volumeAggregateBy(form);
  const { startNs, endNs } = bounds(form, nowNs);
  if (endNs < startNs) throw bad(ERR_END_BEFORE_START);
  return { query: form.get('query') ?? '', startNs, endNs, stepNs: 0n, limit, targetLabels: targetLabels(form), aggregateBy };
}

/** A patterns request. */
export interface PatternsParams {
  readonly query: string;
  readonly startNs: bigint;
  readonly endNs: bigint;
  readonly stepNs: bigint;
}

/** Loki's ParsePatternsQuery. */
export function parsePatternsQuery(form: RequestForm, nowNs: bigint): PatternsParams {
  const { startNs, endNs } = bounds(form, nowNs);
  const stepNs = parseStep(form, startNs, endNs);
  checkStep(stepNs, startNs, endNs);
  return { query: form.get('query') ?? '', startNs, endNs, stepNs };
}

/** The form with `name` replaced by `value` (Loki's `r.Form.Set`). */
function withDefault(form: RequestForm, name: string, value: string): RequestForm {
  return {
    get: (n) => (n === name ? value : form.get(n)),
    getAll: (n) => (n === name ? [value] : form.getAll(n)),
  };
}
