/**
 * Running LogQL over the blocks of the selected streams: log queries through the log pipeline into
 * a LogCollector (leading line filters over whole blocks first), metric queries by pushing each
 * stream's de-duplicated entries into the metric evaluator. Pure: the blocks are already in memory.
 */
import type { LogPipeline, MetricEvaluator } from '../logql/index.js';
import { lineOf, lowerBound, structuredMetadataBytes, type EntryBlock, type StreamBlocks } from './entry-block.js';
import type { LogCollector } from './log-collector.js';
import type { QueryStats } from './query-backend.js';
import { mergeStreamEntries } from './stream-merge.js';

function scanStats(block: EntryBlock, lo: number, hi: number, stats: QueryStats): void {
  const bytes = (block.bounds[hi] as number) - (block.bounds[lo] as number);
  let smBytes = 0;
  if (block.hasStructuredMetadata) for (let i = lo; i < hi; i++) smBytes += structuredMetadataBytes(block, i);
  stats.linesProcessed += hi - lo;
  stats.bytesProcessed += bytes + smBytes;
  stats.structuredMetadataBytesProcessed += smBytes;
}

/** Run a log query's pipeline over one stream's blocks for entries in [startNs, endNs). */
export function collectStreamEntries(
  stream: StreamBlocks,
  pipeline: LogPipeline,
  startNs: bigint,
  endNs: bigint,
  collector: LogCollector,
  stats: QueryStats,
): void {
  const sp = pipeline.forStream(stream.labels);
  const backward = collector.direction === 'backward';
  const blocks = [...stream.blocks].sort((a, b) => {
    const d = (a.tsNs[0] as bigint) - (b.tsNs[0] as bigint);
    return (d < 0n ? -1 : d > 0n ? 1 : 0) * (backward ? -1 : 1);
  });
  for (const block of blocks) {
    const lo = lowerBound(block, startNs);
    const hi = lowerBound(block, endNs);
    if (lo >= hi) continue;
    if (collector.isBeyond(block.tsNs[backward ? hi - 1 : lo] as bigint)) continue;
    scanStats(block, lo, hi, stats);
    let selected: ArrayLike<number>;
    if (pipeline.leadingLineFilters > 0) selected = pipeline.selectLines(block.text, block.bounds, block.count);
    else selected = { length: block.count } as ArrayLike<number>;
    const all = pipeline.leadingLineFilters === 0;
    const n = selected.length;
    for (let k = 0; k < n; k++) {
      const j = backward ? n - 1 - k : k;
      const i = all ? j : (selected[j] as number);
      if (i < lo || i >= hi) continue;
      const ts = block.tsNs[i] as bigint;
      if (collector.isBeyond(ts)) break;
      const r = sp.processSelected(ts, lineOf(block, i), block.structuredMetadata(i));
      if (r === null) continue;
      stats.postFilterLines++;
      collector.offer(r.streamLabels === stream.labels ? stream.key : '', ts, r);
    }
  }
}

/** Push one stream's entries with fromNs < ts ≤ toNs into input `inputIndex` of a metric evaluator. */
export function feedStream(
  evaluator: MetricEvaluator,
  inputIndex: number,
  stream: StreamBlocks,
  fromNs: bigint,
  toNs: bigint,
  stats: QueryStats,
): void {
  const pusher = evaluator.pusher(inputIndex, stream.labels);
  let lines = 0;
  let bytes = 0;
  let smBytes = 0;
  const visit = (block: EntryBlock, i: number, ts: bigint): void => {
    const sm = structuredMetadataBytes(block, i);
    lines++;
    bytes += (block.bounds[i + 1] as number) - (block.bounds[i] as number) + sm;
    smBytes += sm;
    pusher.push(ts, lineOf(block, i), block.structuredMetadata(i));
  };
  const visitRun = (block: EntryBlock, from: number, to: number): void => {
    let sm = 0;
    if (block.hasStructuredMetadata) for (let i = from; i < to; i++) sm += block.structuredMetadataBytes(i);
    lines += to - from;
    bytes += (block.bounds[to] as number) - (block.bounds[from] as number) + sm;
    smBytes += sm;
    pusher.pushRun(block, from, to);
  };
  stats.duplicates += mergeStreamEntries(stream.blocks, fromNs + 1n, toNs + 1n, visit, visitRun);
  stats.linesProcessed += lines;
  stats.bytesProcessed += bytes;
  stats.structuredMetadataBytesProcessed += smBytes;
}
