/**
 * An in-memory QueryBackend for tests of the HTTP layer and the frontend: streams held in memory,
 * queried with the real LogQL pipeline and metric evaluator (so results are what Fjord's LogQL
 * computes), with every call recorded; a metric query for one shard reads only the streams whose
 * fingerprint falls in it, as the querier does. Not a querier: no store, no ingesters.
 */
import { fnv1a64Hex } from '../../schemas/wire/index.js';
import { formatLabels, isInShard, labelsFromObject, type Labels } from '../../schemas/labels/index.js';
import {
  emptyStats, type Direction, type IndexStats, type LogQueryRequest, type MetricQueryRequest, type QueryBackend, type QueryStats, type ResultEntry,
  type PatternsRequest, type ResultStream, type SelectorRequest, type StreamVolume, type TailFrame, type TailRequest,
} from '../../query/engine/query-backend.js';
import type { PatternResult } from '../../query/engine/pattern-merge.js';
import { compileLogPipeline, compileMatcher, createMetricEvaluator, type CompiledMatcher, type MetricResult } from '../../query/logql/index.js';

/** One entry of a fake stream. */
export interface FakeEntry {
  readonly tsNs: bigint;
  readonly line: string;
  readonly sm?: Readonly<Record<string, string>>;
}

/** One fake stream. */
export interface FakeStream {
  readonly labels: Readonly<Record<string, string>>;
  readonly entries: readonly FakeEntry[];
  /** Defaults to `fake`. */
  readonly tenant?: string;
}

interface Held {
  readonly tenant: string;
  readonly labels: Labels;
  readonly entries: ReadonlyArray<{ tsNs: bigint; line: string; sm: Labels; bytes: Uint8Array }>;
}

const utf8 = new TextEncoder();

function matchesAll(labels: Labels, matchers: readonly CompiledMatcher[]): boolean {
  return matchers.every((m) => m.matches(labels.find((l) => l.name === m.name)?.value ?? ''));
}

/** The first `limit` entries over all streams in direction order (ties: stream order). */
function takeLimit(streams: ResultStream[], limit: number, direction: Direction): ResultStream[] {
  const forward = direction === 'forward';
  const all: Array<{ s: number; e: ResultEntry }> = [];
  streams.forEach((st, s) => st.entries.forEach((e) => all.push({ s, e })));
  all.sort((a, b) => (a.e.tsNs === b.e.tsNs ? a.s - b.s : (a.e.tsNs < b.e.tsNs) === forward ? -1 : 1));
  const kept = limit > 0 ? all.slice(0, limit) : all;
  const out = streams.map((st) => ({ labels: st.labels, entries: [] as ResultEntry[] }));
  for (const k of kept) (out[k.s] as { entries: ResultEntry[] }).entries.push(k.e);
  return out.filter((s) => s.entries.length > 0);
}

/** A QueryBackend over streams in memory. */
export class FakeQueryBackend implements QueryBackend {
  readonly calls: Array<{ readonly method: string; readonly req: unknown }> = [];
  /** Frames the tail yields before it waits for its signal. */
  tailFrames: TailFrame[] = [];
  /** When set, every call fails with this error first `failuresLeft` times. */
  failWith: Error | null = null;
  failuresLeft = 0;
  private readonly held: Held[];

  constructor(streams: readonly FakeStream[]) {
    this.held = streams.map((s) => ({
      tenant: s.tenant ?? 'fake',
      labels: labelsFromObject(s.labels),
      entries: [...s.entries]
        .sort((a, b) => (a.tsNs < b.tsNs ? -1 : a.tsNs > b.tsNs ? 1 : 0))
        .map((e) => ({ tsNs: e.tsNs, line: e.line, sm: labelsFromObject(e.sm ?? {}), bytes: utf8.encode(e.line) })),
    }));
  }

  private record(method: string, req: unknown): void {
    this.calls.push({ method, req });
    if (this.failWith !== null && this.failuresLeft > 0) {
      this.failuresLeft--;
      throw this.failWith;
    }
  }

  private streamsOf(tenants: readonly string[]): Held[] {
    return this.held.filter((h) => tenants.includes(h.tenant));
  }

  private selected(req: SelectorRequest): Held[] {
    return this.streamsOf(req.tenants).filter(
      (h) => (req.matchers.length === 0 || req.matchers.some((g) => matchesAll(h.labels, g))) && h.entries.some((e) => e.tsNs >= req.startNs && e.tsNs <= req.endNs),
    );
  }

  async logQuery(req: LogQueryRequest, _signal: AbortSignal): Promise<{ streams: ResultStream[]; stats: QueryStats; warnings: string[] }> {
    this.record('logQuery', req);
    const pipeline = compileLogPipeline(req.expr);
    const matchers = req.expr.matchers.map(compileMatcher);
    const groups = new Map<string, ResultStream & { entries: ResultEntry[] }>();
    const stats = emptyStats();
    for (const h of this.streamsOf(req.tenants)) {
      if (!matchesAll(h.labels, matchers)) continue;
      const sp = pipeline.forStream(h.labels);
      for (const e of h.entries) {
        if (e.tsNs < req.startNs || e.tsNs >= req.endNs) continue;
        stats.linesProcessed++;
        stats.bytesProcessed += e.bytes.length;
        const r = sp.process(e.tsNs, e.bytes, e.sm);
        if (r === null) continue;
        stats.postFilterLines++;
        const key = JSON.stringify(r.streamLabels);
        let g = groups.get(key);
        if (g === undefined) groups.set(key, (g = { labels: r.streamLabels, entries: [] }));
        g.entries.push({ tsNs: e.tsNs, line: r.line, structuredMetadata: r.structuredMetadata, parsed: r.parsed });
      }
    }
    const forward = req.direction === 'forward';
    const streams = [...groups.values()].map((g) => ({ labels: g.labels, entries: g.entries.sort((a, b) => (a.tsNs === b.tsNs ? 0 : (a.tsNs < b.tsNs) === forward ? -1 : 1)) }));
    const limited = takeLimit(streams, req.limit, req.direction);
    stats.entriesReturned = limited.reduce((n, s) => n + s.entries.length, 0);
    return { streams: limited, stats, warnings: [] };
  }

  async metricQuery(req: MetricQueryRequest, _signal: AbortSignal): Promise<{ result: MetricResult; stats: QueryStats; warnings: string[] }> {
    this.record('metricQuery', req);
    const ev = createMetricEvaluator(req.expr, { startNs: req.startNs, endNs: req.endNs, stepNs: req.stepNs });
    const stats = emptyStats();
    for (const input of ev.inputs) {
      for (const h of this.streamsOf(req.tenants)) {
        if (!matchesAll(h.labels, input.matchers)) continue;
        if (req.shard !== undefined && !isInShard(fnv1a64Hex(formatLabels(h.labels)), req.shard)) continue;
        for (const e of h.entries) {
          if (e.tsNs <= input.fromNs || e.tsNs > input.toNs) continue;
          stats.linesProcessed++;
          stats.bytesProcessed += e.bytes.length;
          ev.push(input.index, h.labels, e.tsNs, e.bytes, e.sm);
        }
      }
    }
    return { result: ev.finish(), stats, warnings: [] };
  }

  async series(req: SelectorRequest, _signal: AbortSignal): Promise<Labels[]> {
    this.record('series', req);
    return this.selected(req).map((h) => h.labels);
  }

  async labelNames(req: SelectorRequest, _signal: AbortSignal): Promise<string[]> {
    this.record('labelNames', req);
    return [...new Set(this.selected(req).flatMap((h) => h.labels.map((l) => l.name)))].sort();
  }

  async labelValues(req: SelectorRequest & { readonly name: string }, _signal: AbortSignal): Promise<string[]> {
    this.record('labelValues', req);
    return [...new Set(this.selected(req).flatMap((h) => h.labels.filter((l) => l.name === req.name).map((l) => l.value)))].sort();
  }

  async indexStats(req: SelectorRequest, _signal: AbortSignal): Promise<IndexStats> {
    this.record('indexStats', req);
    const sel = this.selected(req);
    const entries = sel.flatMap((h) => h.entries.filter((e) => e.tsNs >= req.startNs && e.tsNs <= req.endNs));
    return { streams: sel.length, chunks: sel.length, entries: entries.length, bytes: entries.reduce((n, e) => n + e.bytes.length, 0) };
  }

  async volume(req: SelectorRequest & { readonly stepNs: bigint }, _signal: AbortSignal): Promise<Array<{ tsNs: bigint; streams: StreamVolume[] }>> {
    this.record('volume', req);
    const streams = this.selected(req).map((h) => {
      const es = h.entries.filter((e) => e.tsNs >= req.startNs && e.tsNs <= req.endNs);
      return { labels: h.labels, bytes: es.reduce((n, e) => n + e.bytes.length, 0), entries: es.length };
    });
    return [{ tsNs: req.endNs, streams }];
  }

  /** Patterns the fake answers (set by a test). */
  patternResults: PatternResult[] = [];

  async patterns(req: PatternsRequest, _signal: AbortSignal): Promise<PatternResult[]> {
    this.record('patterns', req);
    return this.patternResults;
  }

  tail(req: TailRequest, signal: AbortSignal): AsyncIterable<TailFrame> {
    this.record('tail', req);
    const frames = this.tailFrames;
    return (async function* () {
      for (const f of frames) yield f;
      if (!signal.aborted) await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
    })();
  }
}
