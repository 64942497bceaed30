/**
 * Keeps the `limit` entries a log query returns: the newest for `backward`, the oldest for
 * `forward`, across all streams, dropping duplicates (same stream labels, timestamp, line and
 * labels). A bounded heap, so memory stays O(limit) however much is scanned. Pure.
 */
import { formatLabels, type Labels } from '../../schemas/labels/index.js';
import type { LogEntryResult } from '../logql/index.js';
import type { Direction, ResultEntry, ResultStream } from './query-backend.js';

interface Kept {
  readonly tsNs: bigint;
  readonly streamKey: string;
  readonly streamLabels: Labels;
  readonly entry: ResultEntry;
  readonly identity: string;
}

/** True when `a` should be returned before `b` is dropped (a is "better"). */
function better(a: Kept, b: Kept, direction: Direction): boolean {
  if (a.tsNs !== b.tsNs) return direction === 'backward' ? a.tsNs > b.tsNs : a.tsNs < b.tsNs;
  return a.identity < b.identity;
}

/** The best `limit` entries seen. */
export class LogCollector {
  /** A heap whose root is the worst kept entry. */
  private readonly heap: Kept[] = [];
  private readonly identities = new Set<string>();
  duplicates = 0;

  constructor(
    readonly limit: number,
    readonly direction: Direction,
  ) {}

  /** True when the collector is full and an entry at `tsNs` could not get in (scanning further in this direction is pointless). */
  isBeyond(tsNs: bigint): boolean {
    if (this.heap.length < this.limit) return false;
    const worst = (this.heap[0] as Kept).tsNs;
    return this.direction === 'backward' ? tsNs < worst : tsNs > worst;
  }

  /** Offer an entry of a stream (keyed by its canonical label text). */
  offer(streamKey: string, tsNs: bigint, r: LogEntryResult): void {
    if (this.limit <= 0 || this.isBeyond(tsNs)) return;
    const streamLabelsText = streamKey === '' ? formatLabels(r.streamLabels) : streamKey;
    const identity = `${streamLabelsText}\u0000${tsNs}\u0000${r.line}\u0000${formatLabels(r.labels)}`;
    if (this.identities.has(identity)) {
      this.duplicates++;
      return;
    }
    const kept: Kept = {
      tsNs,
      streamKey: streamLabelsText,
      streamLabels: r.streamLabels,
      entry: { tsNs, line: r.line, structuredMetadata: r.structuredMetadata, parsed: r.parsed },
      identity,
    };
    if (this.heap.length < this.limit) {
      this.push(kept);
    } else if (better(kept, this.heap[0] as Kept, this.direction)) {
      this.identities.delete((this.heap[0] as Kept).identity);
      this.heap[0] = kept;
      this.siftDown(0);
    } else return;
    this.identities.add(identity);
  }

  private push(k: Kept): void {
    const h = this.heap;
    h.push(k);
    let i = h.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!better(h[parent] as Kept, h[i] as Kept, this.direction)) break;
      [h[parent], h[i]] = [h[i] as Kept, h[parent] as Kept];
      i = parent;
    }
  }

  private siftDown(i: number): void {
    const h = this.heap;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let worst = i;
      if (l < h.length && better(h[worst] as Kept, h[l] as Kept, this.direction)) worst = l;
      if (r < h.length && better(h[worst] as Kept, h[r] as Kept, this.direction)) worst = r;
      if (worst === i) return;
      [h[worst], h[i]] = [h[i] as Kept, h[worst] as Kept];
      i = worst;
    }
  }

  get size(): number {
    return this.heap.length;
  }

  /** The kept entries grouped by stream labels, each stream's entries in direction order. */
  streams(): ResultStream[] {
    const sorted = [...this.heap].sort((a, b) => (better(a, b, this.direction) ? -1 : 1));
    const byStream = new Map<string, { labels: Labels; entries: ResultEntry[] }>();
    for (const k of sorted) {
      let s = byStream.get(k.streamKey);
      if (!s) {
        s = { labels: k.streamLabels, entries: [] };
        byStream.set(k.streamKey, s);
      }
      s.entries.push(k.entry);
    }
    return [...byStream.values()];
  }
}
