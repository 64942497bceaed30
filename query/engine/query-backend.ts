/**
 * What the Loki HTTP API and the query frontend ask of the read path. The querier implements it
 * over the store and the ingesters; the frontend implements it too, splitting, queueing, retrying,
 * caching and merging before it calls a querier. Timestamps are bigint nanoseconds; ranges are
 * [startNs, endNs) for log queries, as Loki's.
 */
import { FjordError } from '../../schemas/index.js';
import type { Labels, Shard } from '../../schemas/labels/index.js';
import type { CompiledMatcher, LogSelectorExpr, MetricResult, SampleExpr } from '../logql/index.js';
import type { PatternResult } from './pattern-merge.js';

/** Order of entries in a log query result (Loki's `direction`). */
export type Direction = 'forward' | 'backward';

/** Counters of the work a query did; rendered as Loki's `stats` block. All sums across pieces. */
export interface QueryStats {
  /** Bytes of log lines (and structured metadata) scanned, after decompression. */
  bytesProcessed: number;
  linesProcessed: number;
  structuredMetadataBytesProcessed: number;
  /** Lines that passed the whole pipeline. */
  postFilterLines: number;
  entriesReturned: number;
  /** Chunks fetched from the store, and how many came from the chunk cache. */
  chunksFetched: number;
  chunksCacheHits: number;
  /** Compressed bytes fetched from the store. */
  chunkBytesFetched: number;
  /** Index bundles read, and how many were already in the local cache. */
  indexBundlesRead: number;
  indexCacheHits: number;
  /** Ingesters asked and the lines they sent. */
  ingestersReached: number;
  ingesterLinesSent: number;
  /** Entries dropped as duplicates (identical stream, timestamp, line and metadata). */
  duplicates: number;
  /** Results-cache hits and misses of metric query pieces. */
  resultsCacheHits: number;
  resultsCacheMisses: number;
  splits: number;
  /** Shard pieces run (pieces of a split that each read one shard of the streams). */
  shards: number;
  execTimeMs: number;
  queueTimeMs: number;
}

/** A fresh, all-zero stats object. */
export function emptyStats(): QueryStats {
  return {
    bytesProcessed: 0, linesProcessed: 0, structuredMetadataBytesProcessed: 0, postFilterLines: 0, entriesReturned: 0,
    chunksFetched: 0, chunksCacheHits: 0, chunkBytesFetched: 0, indexBundlesRead: 0, indexCacheHits: 0,
    ingestersReached: 0, ingesterLinesSent: 0, duplicates: 0, resultsCacheHits: 0, resultsCacheMisses: 0,
    splits: 0, shards: 0, execTimeMs: 0, queueTimeMs: 0,
  };
}

/** Add every counter of `b` into `a`. */
export function addStats(a: QueryStats, b: QueryStats): void {
  for (const k of Object.keys(a) as Array<keyof QueryStats>) a[k] += b[k];
}

/** One log entry of a result, with its labels split as Loki categorizes them. */
export interface ResultEntry {
  readonly tsNs: bigint;
  readonly line: string;
  readonly structuredMetadata: Labels;
  readonly parsed: Labels;
}

/** Entries of one stream (by its stream labels), ordered by the query's direction. */
export interface ResultStream {
  readonly labels: Labels;
  readonly entries: ResultEntry[];
}

/** A log query. `tenants` has one tenant, or several when multi-tenant queries are enabled. */
export interface LogQueryRequest {
  readonly tenants: readonly string[];
  readonly query: string;
  readonly expr: LogSelectorExpr;
  readonly startNs: bigint;
  readonly endNs: bigint;
  readonly limit: number;
  readonly direction: Direction;
}

/** A metric query; an instant query has startNs === endNs and stepNs 0. */
export interface MetricQueryRequest {
  readonly tenants: readonly string[];
  readonly query: string;
  readonly expr: SampleExpr;
  readonly startNs: bigint;
  readonly endNs: bigint;
  readonly stepNs: bigint;
  /** Only the streams in this shard of the fingerprint space; absent: every stream. */
  readonly shard?: Shard;
  /**
   * The request comes from Logs Drilldown (Loki's httpreq.IsLogsDrilldownRequest): past
   * `max_query_series` it answers the first series with a warning instead of a 400.
   */
  readonly drilldown?: boolean;
}

/** Loki's warning when a metric query returns only the first `max` series. */
export function partialSeriesWarning(max: number): string {
  return `maximum number of series (${max}) reached for a single query; returning partial results`;
}

const PARTIAL_INGESTER_ANSWER = 'partial answer: no caught-up ingester for partitions ';

/**
 * The warning of an answer given without some partitions' recent data
 * (`querier.allow_partial_ingester_answers`): the partitions in ascending order.
 */
export function partialIngesterWarning(partitions: Iterable<number>): string {
  const sorted = [...new Set(partitions)].sort((a, b) => a - b);
  return `${PARTIAL_INGESTER_ANSWER}${sorted.join(', ')}; lines still in those ingesters are missing`;
}

/** True for a warning made by partialIngesterWarning. */
export function isPartialIngesterWarning(warning: string): boolean {
  return warning.startsWith(PARTIAL_INGESTER_ANSWER);
}

/**
 * Refuse a partial answer where the response has no place for its warning (legacy query, detected
 * fields, rule evaluation): the 503 the query has with `querier.allow_partial_ingester_answers`
 * off. Throws FjordError('log_unavailable') when `warnings` hold a partialIngesterWarning.
 */
export function refusePartialAnswer(warnings: readonly string[]): void {
  const partial = warnings.find(isPartialIngesterWarning);
  if (partial !== undefined) throw new FjordError('log_unavailable', `${partial}; retry later`);
}

/** Loki's limitErrTmpl for too many series in a metric query (a 400). */
export function maxSeriesError(max: number): FjordError {
  return new FjordError('bad_request', `maximum number of series (${max}) reached for a single query; consider reducing query cardinality by adding more specific stream selectors, reducing the time range, or aggregating results with functions like sum(), count() or topk()`);
}

/**
 * Loki's `max_query_series` rule on a metric result (`L:pkg/logql/engine.go` JoinSampleVector):
 * more than `max` series is a 400, except for a Logs Drilldown request, which gets the first `max`
 * and a warning. `max` 0 keeps every series. Throws FjordError('bad_request').
 */
export function limitSeries<T>(series: readonly T[], max: number, drilldown: boolean): { kept: readonly T[]; warnings: string[] } {
  if (max <= 0 || series.length <= max) return { kept: series, warnings: [] };
  if (!drilldown) throw maxSeriesError(max);
  return { kept: series.slice(0, max), warnings: [partialSeriesWarning(max)] };
}

/** `limitSeries` over a metric result (a scalar is one series). */
export function limitResultSeries(r: MetricResult, max: number, drilldown: boolean): { result: MetricResult; warnings: string[] } {
  if (r.resultType === 'matrix') {
    const { kept, warnings } = limitSeries(r.result, max, drilldown);
    return { result: { resultType: 'matrix', result: kept }, warnings };
  }
  if (r.resultType === 'vector') {
    const { kept, warnings } = limitSeries(r.result, max, drilldown);
    return { result: { resultType: 'vector', result: kept }, warnings };
  }
  return { result: r, warnings: [] };
}

/** Streams selected by matchers over a time range (series, labels, stats, volume). */
export interface SelectorRequest {
  readonly tenants: readonly string[];
  /** Alternatives: a stream matches if it matches every matcher of any one group. Empty: all streams. */
  readonly matchers: readonly (readonly CompiledMatcher[])[];
  readonly startNs: bigint;
  readonly endNs: bigint;
}

/** Index statistics of the selected streams (Loki's index/stats). */
export interface IndexStats {
  streams: number;
  chunks: number;
  entries: number;
  bytes: number;
}

/** Bytes and entries of one stream over a range (the unit of Loki's volume endpoints). */
export interface StreamVolume {
  readonly labels: Labels;
  readonly bytes: number;
  readonly entries: number;
}

/** A patterns query (`/loki/api/v1/patterns`): the streams `matchers` select, [startNs, endNs), samples by `stepNs`. */
export interface PatternsRequest {
  readonly tenants: readonly string[];
  readonly matchers: readonly CompiledMatcher[];
  readonly startNs: bigint;
  readonly endNs: bigint;
  readonly stepNs: bigint;
}

/** A live tail request. */
export interface TailRequest {
  readonly tenants: readonly string[];
  readonly query: string;
  readonly expr: LogSelectorExpr;
  readonly startNs: bigint;
  readonly limit: number;
}

/** One frame of a live tail: new streams, and entries dropped because the client was too slow. */
export interface TailFrame {
  readonly streams: ResultStream[];
  readonly dropped: ReadonlyArray<{ readonly labels: Labels; readonly tsNs: bigint }>;
}

/** The read path as the API sees it. Errors are FjordError (bad_request for bad queries and limits). */
export interface QueryBackend {
  /** `warnings` as Loki's response carries them (a partial answer's, see partialIngesterWarning). */
  logQuery(req: LogQueryRequest, signal: AbortSignal): Promise<{ streams: ResultStream[]; stats: QueryStats; warnings: string[] }>;
  metricQuery(req: MetricQueryRequest, signal: AbortSignal): Promise<{ result: MetricResult; stats: QueryStats; warnings: string[] }>;
  series(req: SelectorRequest, signal: AbortSignal): Promise<Labels[]>;
  labelNames(req: SelectorRequest, signal: AbortSignal): Promise<string[]>;
  labelValues(req: SelectorRequest & { readonly name: string }, signal: AbortSignal): Promise<string[]>;
  indexStats(req: SelectorRequest, signal: AbortSignal): Promise<IndexStats>;
  /** Per-stream volume in [startNs, endNs), with `stepNs` > 0 split into buckets aligned to the step. */
  volume(req: SelectorRequest & { readonly stepNs: bigint }, signal: AbortSignal): Promise<Array<{ readonly tsNs: bigint; readonly streams: StreamVolume[] }>>;
  tail(req: TailRequest, signal: AbortSignal): AsyncIterable<TailFrame>;
  /** Pattern series of the selected streams, one per pattern and detected level, largest first. */
  patterns(req: PatternsRequest, signal: AbortSignal): Promise<PatternResult[]>;
}
