/**
 * Rewriting one table: its bundles merged into one (series united, duplicate refs dropped) with the
 * refs past the retention cutoff left out, and the name of the bundle that replaces them. Pure.
 */
import { fnv1a64Hex } from '../../schemas/wire/index.js';
import { encodeIndexBundle, openIndexBundle, unionIndexBundles } from '../../schemas/index/index.js';
import { applyRetention, expiredChunkKeys, minThroughNs, type RetentionCutoff } from './retention.js';

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
 * Merge a table's bundles, leaving out refs whose through is before the cutoff of their series
 * (none left out for null). Throws FjordError('invalid_argument') for no bundles or bundles of different tables and
 * FjordError('index_corrupt') for a bad bundle.
 */
export function compactTable(bundles: readonly Uint8Array[], cutoffNs: RetentionCutoff): CompactedTable {
  const union = unionIndexBundles(bundles);
  const refsIn = union.chunks.length;
  const { kept, expired } = applyRetention(union, cutoffNs);
  const expiredChunks = expiredChunkKeys(union.tenant, expired);
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
