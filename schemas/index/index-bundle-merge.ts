/** Merging a period's index bundles into one, as the compactor does. Pure. */
import { FjordError } from '../errors.js';
import { encodeIndexBundle, type ChunkRef, type IndexBundleInput, type SeriesEntry } from './index-bundle.js';
import { openIndexBundle } from './index-bundle-reader.js';

/**
 * The series and refs of bundles of one period and tenant, concatenated (duplicates kept:
 * encodeIndexBundle drops them). Throws FjordError('invalid_argument') for no bundles or mixed
 * periods or tenants, and FjordError('index_corrupt') for a bad bundle.
 */
export function unionIndexBundles(bundles: readonly Uint8Array[]): IndexBundleInput {
  const opened = bundles.map(openIndexBundle);
  const first = opened[0];
  if (first === undefined) throw new FjordError('invalid_argument', 'nothing to merge');
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
  return { period: first.period, tenant: first.tenant, series, chunks };
}

/**
 * Merge bundles of one period and tenant into one bundle: series united, duplicate refs (same
 * series, time range and checksum) dropped. The result does not depend on the order of `bundles`.
 * Throws as unionIndexBundles.
 */
export function mergeIndexBundles(bundles: readonly Uint8Array[]): Uint8Array {
  return encodeIndexBundle(unionIndexBundles(bundles));
}
