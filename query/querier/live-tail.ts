/**
 * A live tail as Loki's querier runs one (`L:pkg/querier/tail/querier.go`, `tail.go`): the tail
 * streams to the ingesters are opened first, then the newest `limit` entries since `start` are read
 * (backward, sent oldest first), and from then on every entry the ingesters consume is sent once:
 * an entry the history already held is not sent again, whatever its timestamp, so lines sharing a
 * timestamp are all delivered. The full selector and pipeline run here on what the ingesters send
 * (they pre-filter on equality matchers). Responses hold at most 100 entries (Loki's
 * maxEntriesPerTailResponse); what the inbox could not keep is reported as dropped.
 */
import { formatLabels, parseLabelText, sortLabels, type Labels } from '../../schemas/labels/index.js';
import { compileLogPipeline, streamSelectors, type StreamLogPipeline } from '../logql/index.js';
import type { LogQueryRequest, ResultEntry, ResultStream, TailFrame, TailRequest } from '../engine/query-backend.js';
import { FjordError } from '../../schemas/index.js';
import { IngesterTailFeeds, TailInbox, largestTailerCount, wireMetadata, type IncomingBatch } from './ingester-tail.js';
import type { IngesterRing } from './ingester-ring.js';
import { matchesAny, sharedEqualities } from './stream-source.js';

/** Entries per tail response at most (Loki's maxEntriesPerTailResponse). */
export const MAX_ENTRIES_PER_FRAME = 100;
/** How often partitions without an open tail stream are looked for (Loki checks every 5 s; a hand-over should lose little). */
const RECONNECT_CHECK_MS = 1000;

/** What a live tail reads from. */
export interface LiveTailDeps {
  readonly ring: IngesterRing;
  /** The querier's log query (history: store and ingesters). */
  readonly history: (req: LogQueryRequest, signal: AbortSignal) => Promise<{ streams: ResultStream[] }>;
  readonly nowNs: () => bigint;
  /** Labels of a tenant's stream as the answer names it (`__tenant_id__` added in multi-tenant tails). */
  readonly labelsOf: (labels: Labels, tenant: string) => Labels;
  /** A tenant's `max_concurrent_tail_requests` (0: no limit). */
  readonly maxTails: (tenant: string) => number;
}

const encoder = new TextEncoder();

function identity(streamLabels: Labels, tsNs: bigint, line: string): string {
  return `${formatLabels(streamLabels)}\u0000${tsNs}\u0000${line}`;
}

/** Split streams into frames of at most `max` entries, keeping each stream's order. */
export function framesOf(streams: readonly ResultStream[], max: number): TailFrame[] {
  const frames: TailFrame[] = [];
  let current: ResultStream[] = [];
  let n = 0;
  for (const s of streams) {
    for (let i = 0; i < s.entries.length; ) {
      const take = Math.min(max - n, s.entries.length - i);
      current.push({ labels: s.labels, entries: s.entries.slice(i, i + take) });
      n += take;
      i += take;
      if (n === max) {
        frames.push({ streams: current, dropped: [] });
        current = [];
        n = 0;
      }
    }
  }
  if (current.length > 0) frames.push({ streams: current, dropped: [] });
  return frames;
}

/** Throws 400 when a tenant already runs `max_concurrent_tail_requests` live tails (Loki's `checkTailRequestLimit`). */
async function checkTailLimit(deps: LiveTailDeps, tenants: readonly string[], signal: AbortSignal): Promise<void> {
  for (const tenant of tenants) {
    const limit = deps.maxTails(tenant);
    if (limit <= 0) continue;
    const count = await largestTailerCount(deps.ring, tenant, signal);
    if (count >= limit) throw new FjordError('bad_request', `max concurrent tail requests limit exceeded, count > limit (${count + 1} > ${limit})`);
  }
}

/** Run one live tail until the signal aborts. Throws when the ingesters cannot be found at the start, or a tenant runs its most live tails. */
export async function* liveTail(deps: LiveTailDeps, req: TailRequest, signal: AbortSignal): AsyncIterable<TailFrame> {
  await checkTailLimit(deps, req.tenants, signal);
  const groups = streamSelectors(req.expr);
  const pipeline = compileLogPipeline(req.expr);
  const inbox = new TailInbox();
  const feeds = req.tenants.map((tenant) => new IngesterTailFeeds(deps.ring, tenant, sharedEqualities(groups), inbox, signal));
  await Promise.all(feeds.map((f) => f.connect()));
  const recheck = setInterval(() => {
    for (const f of feeds) void f.connect().catch(() => undefined);
  }, RECONNECT_CHECK_MS);
  try {
    const { streams } = await deps.history(
      { tenants: req.tenants, query: req.query, expr: req.expr, startNs: req.startNs, endNs: deps.nowNs() + 1n, limit: req.limit, direction: 'backward' },
      signal,
    );
    const sent = new Set<string>();
    const history: ResultStream[] = [];
    for (const s of streams) {
      for (const e of s.entries) sent.add(identity(s.labels, e.tsNs, e.line));
      history.push({ labels: s.labels, entries: [...s.entries].reverse() });
    }
    history.sort((a, b) => cmp(a.entries[0]?.tsNs ?? 0n, b.entries[0]?.tsNs ?? 0n));
    for (const f of framesOf(history, MAX_ENTRIES_PER_FRAME)) yield f;
    const perStream = new Map<string, { labels: Labels; pipeline: StreamLogPipeline } | null>();
    while (!signal.aborted) {
      const { batches, dropped } = await inbox.take(signal);
      if (signal.aborted) break;
      const out = new Map<string, ResultStream>();
      for (const b of batches) collect(b, perStream, pipeline, groups, deps, sent, out);
      const frames = framesOf([...out.values()], MAX_ENTRIES_PER_FRAME);
      const lost = dropped.map((d) => ({ labels: deps.labelsOf(sortLabels(parseLabelText(d.labelsText)), d.tenant), tsNs: d.tsNs }));
      if (frames.length === 0 && lost.length > 0) frames.push({ streams: [], dropped: [] });
      if (frames.length > 0 && lost.length > 0) frames[0] = { streams: (frames[0] as TailFrame).streams, dropped: lost };
      for (const f of frames) yield f;
    }
  } finally {
    clearInterval(recheck);
  }
}

function cmp(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function collect(
  b: IncomingBatch,
  perStream: Map<string, { labels: Labels; pipeline: StreamLogPipeline } | null>,
  pipeline: ReturnType<typeof compileLogPipeline>,
  groups: ReturnType<typeof streamSelectors>,
  deps: LiveTailDeps,
  sent: Set<string>,
  out: Map<string, ResultStream>,
): void {
  const key = `${b.tenant}\u0000${b.labelsText}`;
  let s = perStream.get(key);
  if (s === undefined) {
    const own = sortLabels(parseLabelText(b.labelsText));
    const labels = deps.labelsOf(own, b.tenant);
    s = matchesAny(own, groups) ? { labels, pipeline: pipeline.forStream(labels) } : null;
    perStream.set(key, s);
  }
  if (s === null) return;
  for (const e of b.entries) {
    const tsNs = BigInt(e[0]);
    const r = s.pipeline.process(tsNs, encoder.encode(e[1]), wireMetadata(e));
    if (r === null) continue;
    if (sent.size > 0 && sent.delete(identity(r.streamLabels, tsNs, r.line))) continue;
    const outKey = formatLabels(r.streamLabels);
    let o = out.get(outKey);
    if (o === undefined) out.set(outKey, (o = { labels: r.streamLabels, entries: [] }));
    const entry: ResultEntry = { tsNs, line: r.line, structuredMetadata: r.structuredMetadata, parsed: r.parsed };
    o.entries.push(entry);
  }
}
