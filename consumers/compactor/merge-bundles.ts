/**
 * Rewriting one table: its bundles merged into one (series united, duplicate refs dropped) with the
 * refs past the retention cutoff left out, and the name of the bundle that replaces them. Pure.
 */
import {
  encodeIndexBundle, fnv1a64Hex, mergeIndexBundles, openIndexBundle, FjordError, type ChunkRef, type SeriesEntry,
} from '../../schemas/index.js';
import { applyRetention, expiredChunkKeys, minThroughNs } from './retention.js';

/** The result of rewriting a table. */
export interface CompactedTable {
  /** The replacing bundle, or null when no ref is left (the table is dropped). */
  readonly bytes: Uint8Array | null;
  /** Object keys of the chunks whose refs were dropped for retention. */
  readonly expiredChunks: readonly string[];
  /** Refs in the inputs (duplicates counted), and in the output. */
  readonly refsIn: number;
  readonly refsOut: number;
  /** Refs dropped for retention (duplicates counted). */
  readonly refsExpired: number;
  /** Smallest chunk through in the output; null when it holds none. */
  readonly minThroughNs: bigint | null;
}

/**
 * Merge a table's bundles, leaving out refs whose through is before `cutoffNs` (none left out for
 * null). Throws FjordError('invalid_argument') for no bundles or bundles of different tables and
 * FjordError('index_corrupt') for a bad bundle.
 */
export function compactTable(bundles: readonly Uint8Array[], cutoffNs: bigint | null): CompactedTable {
  const opened = bundles.map(openIndexBundle);
  const first = opened[0];
  if (first === undefined) throw new FjordError('invalid_argument', 'nothing to compact');
  const refsIn = opened.reduce((n, b) => n + b.chunkCount, 0);
  if (cutoffNs === null) {
    const bytes = mergeIndexBundles(bundles);
    const out = openIndexBundle(bytes).toInput();
    return { bytes, expiredChunks: [], refsIn, refsOut: out.chunks.length, refsExpired: 0, minThroughNs: minThroughNs(out.chunks) };
  }
  const series: SeriesEntry[] = [];
  const chunks: ChunkRef[] = [];
  for (const b of opened) {
    if (b.period !== first.period || b.tenant !== first.tenant) {
      throw new FjordError('invalid_argument', `cannot merge index bundles of ${first.tenant}/${first.period} and ${b.tenant}/${b.period}`);
    }
    const input = b.toInput();
    series.push(...input.series);
    chunks.push(...input.chunks);
  }
  const { kept, expired } = applyRetention({ period: first.period, tenant: first.tenant, series, chunks }, cutoffNs);
  const expiredChunks = expiredChunkKeys(first.tenant, expired);
  if (kept.chunks.length === 0) return { bytes: null, expiredChunks, refsIn, refsOut: 0, refsExpired: expired.length, minThroughNs: null };
  const bytes = encodeIndexBundle(kept);
  const refsOut = openIndexBundle(bytes).chunkCount;
  return { bytes, expiredChunks, refsIn, refsOut, refsExpired: expired.length, minThroughNs: minThroughNs(kept.chunks) };
}

/**
 * The id of the bundle that replaces `inputs`: `compacted-<nowMs>-<hash of the input keys>`. The
 * time keeps ids unique when the same inputs are rewritten later with another retention cutoff
 * (readers cache bundles by key and take them as immutable).
 */
export function compactedBundleId(nowMs: number, inputs: readonly string[]): string {
  return `compacted-${Math.floor(nowMs)}-${fnv1a64Hex([...inputs].sort().join('\n'))}`;
}
