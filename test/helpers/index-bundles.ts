/** Building index bundles and reading their chunk keys back, for compactor and rebuild tests. */
import { fnv1a64Hex } from '../../schemas/wire/index.js';
import { formatLabels, labelsFromObject } from '../../schemas/labels/index.js';
import {
  INDEX_PERIOD_NS, chunkKey, encodeIndexBundle, openIndexBundle, type ChunkRef, type SeriesEntry,
} from '../../schemas/index/index.js';

/** A series from a label object. */
export function seriesOf(labels: Readonly<Record<string, string>>): SeriesEntry {
  const sorted = labelsFromObject(labels);
  return { fingerprint: fnv1a64Hex(formatLabels(sorted)), labels: sorted };
}

/** A ref of `series` over [fromNs, throughNs] with `checksum`. */
export function refOf(series: SeriesEntry, fromNs: bigint, throughNs: bigint, checksum: number): ChunkRef {
  return { fingerprint: series.fingerprint, fromNs, throughNs, checksum, compressedBytes: 100, uncompressedBytes: 400, entries: 4 };
}

/** A bundle of one period and tenant holding `refs` (series taken from `series`). */
export function bundleOf(period: number, tenant: string, series: readonly SeriesEntry[], refs: readonly ChunkRef[]): Uint8Array {
  const used = new Set(refs.map((r) => r.fingerprint));
  return encodeIndexBundle({ period, tenant, series: series.filter((s) => used.has(s.fingerprint)), chunks: refs });
}

/** The chunk keys a bundle refers to, sorted. */
export function chunkKeysOf(bytes: Uint8Array): string[] {
  const b = openIndexBundle(bytes);
  const input = b.toInput();
  return input.chunks.map((c) => chunkKey({ tenant: b.tenant, ...c })).sort();
}

/** First nanosecond of a period. */
export function periodStart(period: number): bigint {
  return BigInt(period) * INDEX_PERIOD_NS;
}
