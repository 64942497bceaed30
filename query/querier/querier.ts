/**
 * The querier: the QueryBackend over the store and the ingesters. Log queries run the LogQL
 * pipeline over each stream's blocks into a bounded collector; metric queries push each stream's
 * de-duplicated entries (only the streams of the request's shard, when it has one) into the metric
 * evaluator; series, labels, stats and volume come from the
 * index (and, for series, labels and volume, the ingesters' recent streams). Several tenants in one query
 * get Loki's `__tenant_id__` label. Log and metric queries may answer without the partitions no
 * caught-up ingester serves, with a warning naming them (`querier.allow_partial_ingester_answers`);
 * series, labels, volume and patterns, whose Loki answers carry no warnings, and a live tail's
 * history never do (503).
 */
import type { Limits } from '../../schemas/config/index.js';
import { formatLabels, sortLabels, type Labels, type Shard } from '../../schemas/labels/index.js';
import {
  compileLogPipeline, createMetricEvaluator, hasFilter, streamSelectors, type CompiledMatcher, type MetricResult,
} from '../logql/index.js';
import type { StreamBlocks } from '../engine/entry-block.js';
import { deletesInRange, withoutDeleted, type QueryDelete } from '../engine/deleted-entries.js';
import { collectStreamEntries, feedStream } from '../engine/execute.js';
import { LogCollector } from '../engine/log-collector.js';
import { validateSelectionLength } from '../engine/selection-limits.js';
import {
  emptyStats, limitResultSeries, partialIngesterWarning, type IndexStats, type LogQueryRequest, type MetricQueryRequest, type QueryBackend, type QueryStats,
  type PatternsRequest, type ResultStream, type SelectorRequest, type StreamVolume, type TailFrame, type TailRequest,
} from '../engine/query-backend.js';
import { describeError, systemClock, type Clock } from '../../platform/index.js';
import type { DeleteFilter } from './delete-filter.js';
import type { PatternSource } from './pattern-source.js';
import { mergePatterns, type PatternResult } from '../engine/pattern-merge.js';
import type { IngesterRing } from './ingester-ring.js';
import { liveTail } from './live-tail.js';
import type { QuerierMetrics, QueryKind } from './metrics.js';
import type { StoreReader } from './store-reader.js';
import type { StreamSource } from './stream-source.js';

/** Loki's label naming the tenant of a result in a multi-tenant query. */
export const TENANT_LABEL = '__tenant_id__';

function withTenant(labels: Labels, tenant: string, multi: boolean): Labels {
  return multi ? sortLabels([...labels, { name: TENANT_LABEL, value: tenant }]) : labels;
}

/** The partial-answer warning of the partitions a query answered without; none when it has all. */
function missingWarnings(missing: ReadonlySet<number> | undefined): string[] {
  return missing === undefined || missing.size === 0 ? [] : [partialIngesterWarning(missing)];
}

/** The read path over the store and the ingesters. */
export class Querier implements QueryBackend {
  constructor(
    private readonly source: StreamSource,
    private readonly store: StoreReader,
    /** Where the ingesters' live tail streams are found. */
    private readonly ring: IngesterRing,
    private readonly limits: Limits,
    private readonly metrics: QuerierMetrics | null = null,
    private readonly clock: Clock = systemClock,
    /** The delete requests whose lines answers leave out; null applies none. */
    private readonly deletes: DeleteFilter | null = null,
    /** The ingesters' patterns; null when pattern detection is off. */
    private readonly patternSource: PatternSource | null = null,
  ) {}

  private nowNs(): bigint {
    return BigInt(this.clock.now()) * 1_000_000n;
  }

  private async deletesOf(tenant: string, startNs: bigint, endNs: bigint, signal: AbortSignal): Promise<QueryDelete[]> {
    if (this.deletes === null) return [];
    return deletesInRange(await this.deletes.forTenant(tenant, this.clock.now(), signal), startNs, endNs);
  }

  private async eachStream(
    tenants: readonly string[],
    groups: readonly (readonly CompiledMatcher[])[],
    startNs: bigint,
    endNs: bigint,
    shard: Shard | null,
    stats: QueryStats,
    signal: AbortSignal,
    visit: (s: StreamBlocks, tenant: string) => void,
    missing?: Set<number>,
  ): Promise<void> {
    const multi = tenants.length > 1;
    const now = this.nowNs();
    for (const tenant of tenants) {
      const deletes = await this.deletesOf(tenant, startNs, endNs, signal);
      await this.source.forEachStream({ tenant, groups, startNs, endNs, nowNs: now, shard }, stats, signal, (found) => {
        const s = deletes.length === 0 ? found : withoutDeleted(found, deletes);
        if (s.blocks.length === 0) return;
        const labels = withTenant(s.labels, tenant, multi);
        visit(multi ? { ...s, labels, key: formatLabels(labels) } : s, tenant);
      }, missing);
    }
  }

  /** Run a query; a failed one is counted with its status, as Loki's query statistics count it. */
  private async recorded<T>(tenants: readonly string[], kind: Omit<QueryKind, 'status'>, run: (stats: QueryStats) => Promise<T>): Promise<T> {
    const t0 = performance.now();
    const stats = emptyStats();
    try {
      const out = await run(stats);
      stats.execTimeMs = performance.now() - t0;
      this.metrics?.query(tenants, stats, { ...kind, status: '200' });
      return out;
    } catch (err) {
      stats.execTimeMs = performance.now() - t0;
      this.metrics?.query(tenants, stats, { ...kind, status: String(describeError(err).status) });
      throw err;
    }
  }

  logQuery(req: LogQueryRequest, signal: AbortSignal): Promise<{ streams: ResultStream[]; stats: QueryStats; warnings: string[] }> {
    return this.recordedLogQuery(req, signal, new Set());
  }

  /** A log query; `missing` (when given) lets it answer without partitions no ingester serves. */
  private recordedLogQuery(req: LogQueryRequest, signal: AbortSignal, missing?: Set<number>): Promise<{ streams: ResultStream[]; stats: QueryStats; warnings: string[] }> {
    return this.recorded(req.tenants, { type: hasFilter(req.expr) ? 'filter' : 'limited', range: 'range', sharded: false }, (stats) => this.runLogQuery(req, stats, signal, missing));
  }

  private async runLogQuery(req: LogQueryRequest, stats: QueryStats, signal: AbortSignal, missing?: Set<number>): Promise<{ streams: ResultStream[]; stats: QueryStats; warnings: string[] }> {
    const pipeline = compileLogPipeline(req.expr);
    const collector = new LogCollector(req.limit, req.direction);
    const visit = (s: StreamBlocks): void => collectStreamEntries(s, pipeline, req.startNs, req.endNs, collector, stats);
    await this.eachStream(req.tenants, streamSelectors(req.expr), req.startNs, req.endNs, null, stats, signal, visit, missing);
    stats.duplicates += collector.duplicates;
    const streams = collector.streams();
    stats.entriesReturned = streams.reduce((n, s) => n + s.entries.length, 0);
    return { streams, stats, warnings: missingWarnings(missing) };
  }

  metricQuery(req: MetricQueryRequest, signal: AbortSignal): Promise<{ result: MetricResult; stats: QueryStats; warnings: string[] }> {
    const range = req.startNs === req.endNs && req.stepNs === 0n ? 'instant' : 'range';
    return this.recorded(req.tenants, { type: 'metric', range, sharded: req.shard !== undefined && req.shard !== null }, (stats) => this.runMetricQuery(req, stats, signal));
  }

  private async runMetricQuery(req: MetricQueryRequest, stats: QueryStats, signal: AbortSignal): Promise<{ result: MetricResult; stats: QueryStats; warnings: string[] }> {
    const evaluator = createMetricEvaluator(req.expr, { startNs: req.startNs, endNs: req.endNs, stepNs: req.stepNs, nowNs: this.nowNs() });
    const maxSeries = Math.min(...req.tenants.map((t) => this.limits.forTenant(t).max_query_series));
    const maxLengthMs = req.tenants.map((t) => this.limits.forTenant(t).max_query_length);
    for (const input of evaluator.inputs) validateSelectionLength(input.fromNs, input.toNs, maxLengthMs);
    const missing = new Set<number>();
    for (const input of evaluator.inputs) {
      const visit = (s: StreamBlocks): void => feedStream(evaluator, input.index, s, input.fromNs, input.toNs, stats);
      await this.eachStream(req.tenants, [input.matchers], input.fromNs + 1n, input.toNs + 1n, req.shard ?? null, stats, signal, visit, missing);
    }
    const { result, warnings } = limitResultSeries(evaluator.finish(), maxSeries, req.drilldown ?? false);
    return { result, stats, warnings: [...missingWarnings(missing), ...warnings] };
  }

  async series(req: SelectorRequest, signal: AbortSignal): Promise<Labels[]> {
    const stats = emptyStats();
    const out = new Map<string, Labels>();
    const multi = req.tenants.length > 1;
    for (const tenant of req.tenants) {
      for (const labels of await this.source.series({ tenant, groups: req.matchers, startNs: req.startNs, endNs: req.endNs, nowNs: this.nowNs(), shard: null }, stats, signal)) {
        const l = withTenant(labels, tenant, multi);
        out.set(formatLabels(l), l);
      }
    }
    return [...out.values()].sort((a, b) => (formatLabels(a) < formatLabels(b) ? -1 : 1));
  }

  async labelNames(req: SelectorRequest, signal: AbortSignal): Promise<string[]> {
    const names = new Set<string>();
    for (const s of await this.series(req, signal)) for (const l of s) names.add(l.name);
    return [...names].sort();
  }

  async labelValues(req: SelectorRequest & { readonly name: string }, signal: AbortSignal): Promise<string[]> {
    const values = new Set<string>();
    for (const s of await this.series(req, signal)) {
      const v = s.find((l) => l.name === req.name)?.value;
      if (v !== undefined && v !== '') values.add(v);
    }
    return [...values].sort();
  }

  async indexStats(req: SelectorRequest, signal: AbortSignal): Promise<IndexStats> {
    const stats = emptyStats();
    const out: IndexStats = { streams: 0, chunks: 0, entries: 0, bytes: 0 };
    for (const tenant of req.tenants) {
      for (const v of await this.store.volumes(tenant, req.matchers, req.startNs, req.endNs, this.nowNs(), stats, signal)) {
        out.streams++;
        out.chunks += v.chunks;
        out.entries += v.entries;
        out.bytes += v.bytes;
      }
    }
    return out;
  }

  async volume(req: SelectorRequest & { readonly stepNs: bigint }, signal: AbortSignal): Promise<Array<{ readonly tsNs: bigint; readonly streams: StreamVolume[] }>> {
    const stats = emptyStats();
    const buckets: Array<[bigint, bigint]> = [];
    if (req.stepNs > 0n) {
      for (let t = req.startNs - (req.startNs % req.stepNs); t < req.endNs; t += req.stepNs) buckets.push([t, t + req.stepNs]);
    } else buckets.push([req.startNs, req.endNs]);
    const multi = req.tenants.length > 1;
    const out: Array<{ tsNs: bigint; streams: StreamVolume[] }> = [];
    for (const [from, to] of buckets) {
      const streams: StreamVolume[] = [];
      for (const tenant of req.tenants) {
        const range = { startNs: from < req.startNs ? req.startNs : from, endNs: to > req.endNs ? req.endNs : to };
        for (const v of await this.source.volumes({ tenant, groups: req.matchers, ...range, nowNs: this.nowNs(), shard: null }, stats, signal)) {
          streams.push({ labels: withTenant(v.labels, tenant, multi), bytes: v.bytes, entries: v.entries });
        }
      }
      out.push({ tsNs: req.stepNs > 0n ? to : req.endNs, streams });
    }
    return out;
  }

  /** Patterns of each tenant from the ingesters (none when pattern detection is off). */
  async patterns(req: PatternsRequest, signal: AbortSignal): Promise<PatternResult[]> {
    const source = this.patternSource;
    if (source === null) return [];
    const stats = emptyStats();
    const lists: PatternResult[][] = [];
    for (const tenant of req.tenants) lists.push(await source.patterns({ tenant, matchers: req.matchers, startNs: req.startNs, endNs: req.endNs, stepNs: req.stepNs, nowNs: this.nowNs() }, stats, signal));
    return lists.length === 1 ? (lists[0] as PatternResult[]) : mergePatterns(lists);
  }

  /** A live tail: the newest `limit` entries since the start, then every new entry from the ingesters' tail streams. */
  tail(req: TailRequest, signal: AbortSignal): AsyncIterable<TailFrame> {
    const multi = req.tenants.length > 1;
    return liveTail(
      { ring: this.ring, history: (r, s) => this.recordedLogQuery(r, s), nowNs: () => this.nowNs(), labelsOf: (labels, tenant) => withTenant(labels, tenant, multi),
        maxTails: (tenant) => this.limits.forTenant(tenant).max_concurrent_tail_requests },
      req,
      signal,
    );
  }
}
