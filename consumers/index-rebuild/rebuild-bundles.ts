/**
 * Rebuilding index entries from chunk objects alone: a chunk's head (its header and block table,
 * read with one ranged get) gives the tenant, labels, fingerprint, time range, entry count and
 * sizes, and its content checksum; with the object's size that is exactly the ref an ingester
 * wrote. Refs are grouped into one bundle per (period, tenant), a chunk in every period it
 * overlaps, as the ingester's IndexWriter does. Pure.
 */
import { FjordError } from '../../schemas/index.js';
import { fnv1a64Hex } from '../../schemas/wire/index.js';
import { formatLabels, parseLabelText, sortLabels } from '../../schemas/labels/index.js';
import { chunkChecksum, decodeChunkHeader, readBlockTable } from '../../schemas/chunk/index.js';
import {
  chunkKey, indexPeriodsOverlapping, type ChunkKeyParts, type ChunkRef, type IndexBundleInput, type SeriesEntry,
} from '../../schemas/index/index.js';

/** A chunk's index entry: its tenant, series and ref. */
export interface RebuiltChunk {
  readonly tenant: string;
  readonly series: SeriesEntry;
  readonly ref: ChunkRef;
}

/** True when the chunk named by `parts` has an entry in the inclusive range [fromNs, toNs]. */
export function chunkOverlaps(parts: ChunkKeyParts, fromNs: bigint, toNs: bigint): boolean {
  return parts.fromNs <= toNs && parts.throughNs >= fromNs;
}

/**
 * The index entry of the chunk at `key` from the start of its object (`head` holds at least the
 * header and block table) and the object's size. Throws FjordError('chunk_corrupt') when the head
 * does not decode or disagrees with the key (tenant, fingerprint, time range, checksum).
 */
export function chunkFromHead(key: string, parts: ChunkKeyParts, sizeBytes: number, head: Uint8Array): RebuiltChunk {
  const header = decodeChunkHeader(head);
  const table = readBlockTable(head, header);
  const checksum = chunkChecksum(header, table);
  const bad = (what: string) => new FjordError('chunk_corrupt', `chunk ${key}: ${what}`);
  if (header.tenant !== parts.tenant) throw bad(`header names tenant ${header.tenant}`);
  if (header.fingerprint !== parts.fingerprint) throw bad(`header names fingerprint ${header.fingerprint}`);
  if (header.fromNs !== parts.fromNs || header.throughNs !== parts.throughNs) throw bad(`header time range ${header.fromNs}..${header.throughNs} differs from the key's`);
  if (checksum !== parts.checksum) throw bad(`content checksum ${checksum.toString(16)} differs from the key's`);
  let labels;
  try {
    labels = sortLabels(parseLabelText(header.labels));
  } catch (err) {
    throw bad(`labels do not parse: ${(err as Error).message}`);
  }
  if (fnv1a64Hex(formatLabels(labels)) !== header.fingerprint) throw bad('labels do not hash to the fingerprint');
  return {
    tenant: header.tenant,
    series: { fingerprint: header.fingerprint, labels },
    ref: {
      fingerprint: header.fingerprint, fromNs: header.fromNs, throughNs: header.throughNs, checksum,
      compressedBytes: sizeBytes, uncompressedBytes: header.uncompressedBytes, entries: header.entries,
    },
  };
}

/** The bundles to write for `chunks`: one per (period, tenant), by period then tenant. */
export function tablesOf(chunks: Iterable<RebuiltChunk>): IndexBundleInput[] {
  const tables = new Map<string, { period: number; tenant: string; series: Map<string, SeriesEntry>; chunks: ChunkRef[] }>();
  for (const c of chunks) {
    for (const period of indexPeriodsOverlapping(c.ref.fromNs, c.ref.throughNs)) {
      const id = `${period}\u0000${c.tenant}`;
      let t = tables.get(id);
      if (!t) tables.set(id, (t = { period, tenant: c.tenant, series: new Map(), chunks: [] }));
      t.series.set(c.series.fingerprint, c.series);
      t.chunks.push(c.ref);
    }
  }
  return [...tables.values()]
    .map((t) => ({ period: t.period, tenant: t.tenant, series: [...t.series.values()], chunks: t.chunks }))
    .sort((a, b) => a.period - b.period || (a.tenant < b.tenant ? -1 : a.tenant > b.tenant ? 1 : 0));
}

/**
 * The id of a rebuilt bundle: `rebuild-<hash of its chunk keys>`. The same chunks give the same id
 * and (bundles encode deterministically) the same bytes, so rebuilding twice rewrites identical
 * objects instead of adding bundles.
 */
export function rebuildBundleId(table: IndexBundleInput): string {
  const keys = table.chunks.map((c) => chunkKey({ tenant: table.tenant, ...c })).sort();
  return `rebuild-${fnv1a64Hex([...new Set(keys)].join('\n'))}`;
}
