/**
 * The index bundle: an immutable, sorted, CRC-checked file of one (period, tenant) holding series
 * (fingerprint → labels), chunk refs per series and label postings (name → value → series). The
 * ingester seals one from its active index every `index_upload_interval`; the compactor merges a
 * period's bundles into one. Encoding is deterministic: the same series and refs give the same
 * bytes. Byte layout: FORMATS.md §2. Pure.
 */
import { ByteWriter, crc32c, fnv1a64Hex } from '../wire/index.js';
import { FjordError } from '../errors.js';
import { formatLabels, type Label, type Labels } from '../labels/index.js';
import { parseFingerprint, type ChunkHeader } from '../chunk/index.js';

/** "FJIB", big-endian, the first four bytes of every index bundle. */
export const INDEX_BUNDLE_MAGIC = 0x464a4942;
/** The bundle format version this code writes and reads. */
export const INDEX_BUNDLE_VERSION = 1;

/** One series: its fingerprint (`fnv1a64Hex(formatLabels(labels))`) and labels sorted by name. */
export interface SeriesEntry {
  readonly fingerprint: string;
  readonly labels: Labels;
}

/** A reference to one chunk object of a series. */
export interface ChunkRef {
  readonly fingerprint: string;
  /** First and last entry timestamps, ns, inclusive. */
  readonly fromNs: bigint;
  readonly throughNs: bigint;
  /** The chunk's content checksum; with the rest it names the object (`chunkKey`). */
  readonly checksum: number;
  /** Size of the chunk object, and of its blocks uncompressed. */
  readonly compressedBytes: number;
  readonly uncompressedBytes: number;
  readonly entries: number;
}

/** What a bundle holds, as plain data. */
export interface IndexBundleInput {
  /** Days since the Unix epoch (`indexPeriod`). */
  readonly period: number;
  readonly tenant: string;
  readonly series: readonly SeriesEntry[];
  readonly chunks: readonly ChunkRef[];
}

/**
 * The index ref of a chunk: what the ingester writes once the chunk is uploaded, and what an index
 * rebuild derives from a chunk's header (`checksum` from `chunkChecksum(header, table)`).
 * `objectBytes` is the length of the chunk object.
 */
export function chunkRefOf(header: Pick<ChunkHeader, 'fingerprint' | 'fromNs' | 'throughNs' | 'uncompressedBytes' | 'entries'>, checksum: number, objectBytes: number): ChunkRef {
  return {
    fingerprint: header.fingerprint,
    fromNs: header.fromNs,
    throughNs: header.throughNs,
    checksum,
    compressedBytes: objectBytes,
    uncompressedBytes: header.uncompressedBytes,
    entries: header.entries,
  };
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Order of chunk refs within a series: by from, through, checksum. */
export function compareChunkRefs(a: ChunkRef, b: ChunkRef): number {
  if (a.fromNs !== b.fromNs) return a.fromNs < b.fromNs ? -1 : 1;
  if (a.throughNs !== b.throughNs) return a.throughNs < b.throughNs ? -1 : 1;
  return a.checksum - b.checksum;
}

function sameRef(a: ChunkRef, b: ChunkRef): boolean {
  return a.fromNs === b.fromNs && a.throughNs === b.throughNs && a.checksum === b.checksum;
}

function checkSeries(s: SeriesEntry): void {
  const want = fnv1a64Hex(formatLabels(s.labels));
  if (s.fingerprint !== want) throw new FjordError('invalid_argument', `series ${formatLabels(s.labels)} has fingerprint ${s.fingerprint}, expected ${want}`);
  for (let i = 1; i < s.labels.length; i++) {
    if ((s.labels[i - 1] as Label).name >= (s.labels[i] as Label).name) throw new FjordError('invalid_argument', `series ${formatLabels(s.labels)}: labels must be sorted by name and unique`);
  }
}

/**
 * Encode a bundle. Series are de-duplicated by fingerprint and sorted; refs are grouped by series,
 * sorted and de-duplicated (same series, time range and checksum). Throws
 * FjordError('invalid_argument') for a fingerprint that does not match its labels, two label sets
 * with one fingerprint, or a ref whose series is missing.
 */
export function encodeIndexBundle(input: IndexBundleInput): Uint8Array {
  const byFp = new Map<string, SeriesEntry>();
  for (const s of input.series) {
    const seen = byFp.get(s.fingerprint);
    if (seen === undefined) {
      checkSeries(s);
      byFp.set(s.fingerprint, s);
    } else if (formatLabels(seen.labels) !== formatLabels(s.labels)) {
      throw new FjordError('invalid_argument', `fingerprint collision: ${formatLabels(seen.labels)} and ${formatLabels(s.labels)}`);
    }
  }
  const series = [...byFp.values()].sort((a, b) => compareStrings(a.fingerprint, b.fingerprint));
  const ordinal = new Map<string, number>();
  series.forEach((s, i) => ordinal.set(s.fingerprint, i));
  const refs: ChunkRef[][] = series.map(() => []);
  for (const c of input.chunks) {
    const o = ordinal.get(c.fingerprint);
    if (o === undefined) throw new FjordError('invalid_argument', `chunk ref for unknown series ${c.fingerprint}`);
    if (c.throughNs < c.fromNs) throw new FjordError('invalid_argument', `chunk ref ends before it starts (${c.fromNs} > ${c.throughNs})`);
    (refs[o] as ChunkRef[]).push(c);
  }

  const symbolSet = new Set<string>();
  const postings = new Map<string, Map<string, number[]>>();
  series.forEach((s, i) => {
    for (const l of s.labels) {
      symbolSet.add(l.name);
      symbolSet.add(l.value);
      let values = postings.get(l.name);
      if (values === undefined) postings.set(l.name, (values = new Map()));
      const list = values.get(l.value);
      if (list === undefined) values.set(l.value, [i]);
      else list.push(i);
    }
  });
  const symbols = [...symbolSet].sort(compareStrings);
  const sym = new Map<string, number>();
  symbols.forEach((s, i) => sym.set(s, i));
  const id = (s: string): number => sym.get(s) as number;

  const w = new ByteWriter(1024 + series.length * 64 + input.chunks.length * 24);
  w.u32be(INDEX_BUNDLE_MAGIC).u8(INDEX_BUNDLE_VERSION).uvarint(input.period).string(input.tenant);
  w.uvarint(symbols.length);
  for (const s of symbols) w.string(s);
  w.uvarint(series.length);
  series.forEach((s, i) => {
    w.u64be(parseFingerprint(s.fingerprint)).uvarint(s.labels.length);
    for (const l of s.labels) w.uvarint(id(l.name)).uvarint(id(l.value));
    const list = (refs[i] as ChunkRef[]).sort(compareChunkRefs).filter((c, k, all) => k === 0 || !sameRef(all[k - 1] as ChunkRef, c));
    w.uvarint(list.length);
    list.forEach((c, k) => {
      // The first from is absolute (signed); later ones are deltas, never negative as refs are sorted.
      if (k === 0) w.varintBig(c.fromNs);
      else w.uvarintBig(c.fromNs - (list[k - 1] as ChunkRef).fromNs);
      w.uvarintBig(c.throughNs - c.fromNs).u32(c.checksum);
      w.uvarint(c.compressedBytes).uvarint(c.uncompressedBytes).uvarint(c.entries);
    });
  });
  const names = [...postings.keys()].sort(compareStrings);
  w.uvarint(names.length);
  for (const name of names) {
    const values = postings.get(name) as Map<string, number[]>;
    const sorted = [...values.keys()].sort(compareStrings);
    w.uvarint(id(name)).uvarint(sorted.length);
    for (const value of sorted) {
      const list = values.get(value) as number[];
      w.uvarint(id(value)).uvarint(list.length);
      let prev = 0;
      for (const o of list) {
        w.uvarint(o - prev);
        prev = o;
      }
    }
  }
  w.u32(crc32c(w.view8()));
  return w.finish();
}
