/** Test blocks: build an EntryBlock from plain entries (sorted by the caller). */
import type { Label } from '../../../../schemas/labels/index.js';
import type { EntryBlock } from '../../../../query/engine/entry-block.js';

export function makeBlock(entries: ReadonlyArray<{ ts: bigint; line: string; sm?: Label[] }>): EntryBlock {
  const parts = entries.map((e) => Buffer.from(e.line));
  const bounds = [0];
  for (const p of parts) bounds.push((bounds[bounds.length - 1] as number) + p.length);
  return {
    count: entries.length,
    text: Buffer.concat(parts),
    bounds,
    tsNs: entries.map((e) => e.ts),
    hasStructuredMetadata: entries.some((e) => (e.sm ?? []).length > 0),
    structuredMetadata: (i) => entries[i]?.sm ?? [],
    structuredMetadataBytes: (i) => (entries[i]?.sm ?? []).reduce((n, l) => n + Buffer.byteLength(l.name) + Buffer.byteLength(l.value), 0),
  };
}
