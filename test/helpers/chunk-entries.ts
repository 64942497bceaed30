/** Entries for chunk and block tests: a compact constructor and entry comparison as plain values. */
import type { Label } from '../../schemas/labels/index.js';
import type { BlockEntry } from '../../schemas/chunk/index.js';
import type { PushEntry } from '../../schemas/record/index.js';

const utf8 = new TextEncoder();
const text = new TextDecoder();

/** An entry at `tsNs` with a UTF-8 line and optional structured metadata given as an object. */
export function entry(tsNs: bigint | number, line: string, metadata: Record<string, string> = {}): PushEntry {
  const structuredMetadata: Label[] = Object.entries(metadata).map(([name, value]) => ({ name, value }));
  return { tsNs: BigInt(tsNs), line: utf8.encode(line), structuredMetadata };
}

/** An entry as a plain comparable value: `[tsNs as string, line text, metadata pairs]`. */
export function plain(e: PushEntry | BlockEntry): [string, string, string[][]] {
  return [e.tsNs.toString(), text.decode(e.line), e.structuredMetadata.map((l) => [l.name, l.value])];
}

/** Entries sorted by timestamp, equal timestamps in input order (the order a block stores them). */
export function sortedByTs(entries: readonly PushEntry[]): PushEntry[] {
  return entries.map((e, i) => ({ e, i })).sort((a, b) => (a.e.tsNs < b.e.tsNs ? -1 : a.e.tsNs > b.e.tsNs ? 1 : a.i - b.i)).map((x) => x.e);
}
