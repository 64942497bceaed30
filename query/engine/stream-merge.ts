/**
 * The entries of one stream across all its blocks, merged in timestamp order with duplicates
 * dropped: entries with the same timestamp, line and structured metadata (Loki's merge-iterator
 * rule; a replay or two zones deliver the same entry twice). Distinct lines with the same
 * timestamp are all kept. Pure.
 */
import type { Labels } from '../../schemas/labels/index.js';
import { lineOf, lowerBound, type EntryBlock } from './entry-block.js';

/** A position in one block. */
interface Cursor {
  readonly block: EntryBlock;
  i: number;
  readonly end: number;
}

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function labelsEqual(a: Labels, b: Labels): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i]?.name !== b[i]?.name || a[i]?.value !== b[i]?.value) return false;
  return true;
}

/** Visitor called for each kept entry, in timestamp order. */
export type EntryVisitor = (block: EntryBlock, i: number, tsNs: bigint) => void;

/**
 * Visit every entry of `blocks` with fromNs ≤ ts < toNs in ascending timestamp order, skipping
 * duplicates. Returns the number of duplicates dropped. Blocks that overlap no other block (the
 * usual case: a stream's chunks follow each other in time) are visited straight through (as one
 * run, with `visitRun`); only groups of overlapping blocks are merged entry by entry.
 */
export function mergeStreamEntries(
  blocks: readonly EntryBlock[],
  fromNs: bigint,
  toNs: bigint,
  visit: EntryVisitor,
  visitRun?: (block: EntryBlock, from: number, to: number) => void,
): number {
  const cursors: Cursor[] = [];
  for (const block of blocks) {
    const i = lowerBound(block, fromNs);
    const end = lowerBound(block, toNs);
    if (i < end) cursors.push({ block, i, end });
  }
  const first = (c: Cursor) => c.block.tsNs[c.i] as bigint;
  const last = (c: Cursor) => c.block.tsNs[c.end - 1] as bigint;
  cursors.sort((a, b) => (first(a) < first(b) ? -1 : first(a) > first(b) ? 1 : 0));
  let duplicates = 0;
  for (let g = 0; g < cursors.length; ) {
    let h = g + 1;
    let max = last(cursors[g] as Cursor);
    while (h < cursors.length && first(cursors[h] as Cursor) <= max) {
      const l = last(cursors[h] as Cursor);
      if (l > max) max = l;
      h++;
    }
    if (h === g + 1) {
      const c = cursors[g] as Cursor;
      if (visitRun !== undefined) visitRun(c.block, c.i, c.end);
      else for (let i = c.i; i < c.end; i++) visit(c.block, i, c.block.tsNs[i] as bigint);
    } else duplicates += mergeOverlapping(cursors.slice(g, h), visit);
    g = h;
  }
  return duplicates;
}

/** k-way merge of blocks that overlap in time, dropping identical entries. */
function mergeOverlapping(cursors: Cursor[], visit: EntryVisitor): number {
  let duplicates = 0;
  // Entries kept at the current timestamp, to compare later equal-timestamp entries against.
  let sameTs: Array<{ block: EntryBlock; i: number }> = [];
  let currentTs: bigint | null = null;
  for (;;) {
    let best: Cursor | null = null;
    let bestTs = 0n;
    for (const c of cursors) {
      if (c.i >= c.end) continue;
      const ts = c.block.tsNs[c.i] as bigint;
      if (best === null || ts < bestTs) {
        best = c;
        bestTs = ts;
      }
    }
    if (best === null) return duplicates;
    const { block, i } = best;
    best.i++;
    if (bestTs !== currentTs) {
      currentTs = bestTs;
      sameTs = [];
    } else {
      const line = lineOf(block, i);
      const sm = block.structuredMetadata(i);
      if (sameTs.some((e) => bytesEqual(lineOf(e.block, e.i), line) && labelsEqual(e.block.structuredMetadata(e.i), sm))) {
        duplicates++;
        continue;
      }
    }
    sameTs.push({ block, i });
    visit(block, i, bestTs);
  }
}
