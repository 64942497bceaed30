/**
 * Entries of several decoded blocks in timestamp order. Blocks of one chunk are each sorted but may
 * overlap in time when entries arrived out of order; equal timestamps come out in block order, so
 * entries appended earlier come first (backward is the exact reverse). Pure.
 */
import type { BlockEntry, DecodedBlock } from './chunk-block.js';

/** Index of the first entry of `block` with a timestamp at or after `tsNs`. */
export function firstAtOrAfter(block: DecodedBlock, tsNs: bigint): number {
  let lo = 0;
  let hi = block.count;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((block.tsNs[mid] as bigint) < tsNs) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Entries of `blocks` with a timestamp in `[startNs, endNs)`, ascending (forward) or descending (backward). */
export function* mergeBlockEntries(
  blocks: readonly DecodedBlock[],
  startNs: bigint,
  endNs: bigint,
  direction: 'forward' | 'backward' = 'forward',
): Generator<BlockEntry> {
  const forward = direction === 'forward';
  const pos: number[] = [];
  const stop: number[] = [];
  for (const b of blocks) {
    const lo = firstAtOrAfter(b, startNs);
    const hi = firstAtOrAfter(b, endNs);
    pos.push(forward ? lo : hi - 1);
    stop.push(forward ? hi : lo - 1);
  }
  for (;;) {
    let best = -1;
    let bestTs = 0n;
    for (let k = 0; k < blocks.length; k++) {
      if (pos[k] === stop[k]) continue;
      const ts = (blocks[k] as DecodedBlock).tsNs[pos[k] as number] as bigint;
      if (best < 0 || (forward ? ts < bestTs : ts >= bestTs)) {
        best = k;
        bestTs = ts;
      }
    }
    if (best < 0) return;
    const i = pos[best] as number;
    pos[best] = forward ? i + 1 : i - 1;
    yield (blocks[best] as DecodedBlock).entry(i);
  }
}
