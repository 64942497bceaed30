/**
 * The columnar layout of one chunk block, and its compression with a CRC32C. A decoded block
 * exposes its lines as one buffer (`text`) with offsets (`bounds`) so LogQL's `selectLines` runs
 * line filters over the whole block at once; timestamps are a BigInt64Array; structured metadata is
 * parsed lazily. Entries in a block are sorted by timestamp (stable: equal timestamps keep their
 * append order) when the block is cut, as Loki's unordered head block is. Pure.
 *
 * Uncompressed layout (FORMATS.md §1.4):
 *   count uvarint · base ts zigzag varint · count × ts delta uvarint (from the previous entry,
 *   the first from the base) · count × line length uvarint · metadata length uvarint ·
 *   metadata section · all line bytes concatenated.
 */
import { MetadataSection, encodeMetadataSection } from './block-metadata.js';
import { ByteReader, crc32c, putUvarint, putUvarintBig, zigzagEncode } from '../wire/index.js';
import type { Codec } from '../codec.js';
import { FjordError } from '../errors.js';
import type { Label } from '../labels/index.js';
import type { PushEntry } from '../record/index.js';

/** Entries to encode as one block, as columns; entry `i` is taken from position `order[i]`. */
export interface BlockSource {
  /** Timestamps, ns. */
  readonly tsNs: ArrayLike<bigint>;
  /** All lines' bytes; line `j` is `lineBytes[lineBounds[j], lineBounds[j + 1])`. */
  readonly lineBytes: Uint8Array;
  readonly lineBounds: ArrayLike<number>;
  /** Structured metadata per entry (empty arrays for none). */
  readonly structuredMetadata: readonly (readonly Label[])[];
  /** The entries in the block's order, which must be ascending in `tsNs`. */
  readonly order: ArrayLike<number>;
}

/** A block compressed and checksummed, ready for `encodeChunk`. */
export interface EncodedBlock {
  readonly compressed: Uint8Array;
  /** CRC32C of `compressed`. */
  readonly crc: number;
  /** CRC32C of the uncompressed layout; the chunk checksum is built from these. */
  readonly contentCrc: number;
  readonly uncompressedBytes: number;
  readonly entries: number;
  readonly minTsNs: bigint;
  readonly maxTsNs: bigint;
}

/** One entry of a decoded block, as objects (only made on request). */
export interface BlockEntry {
  readonly tsNs: bigint;
  readonly line: Uint8Array;
  readonly structuredMetadata: readonly Label[];
}

/** A decoded block: columns over the decompressed bytes, no per-line objects. */
export interface DecodedBlock {
  readonly count: number;
  /** Entry timestamps, ns, ascending. */
  readonly tsNs: BigInt64Array;
  /** The lines region: every line's bytes, concatenated. */
  readonly text: Buffer;
  /** `count + 1` offsets into `text`; line `i` is `text[bounds[i], bounds[i + 1])`. */
  readonly bounds: Uint32Array;
  /** True when at least one entry has structured metadata. */
  readonly hasStructuredMetadata: boolean;
  /** The line of entry `i` as a view of `text`. */
  line(i: number): Uint8Array;
  /** The structured metadata of entry `i` (decoded on first use). */
  structuredMetadata(i: number): readonly Label[];
  /** Bytes of entry `i`'s structured metadata: names plus values, UTF-8. */
  structuredMetadataBytes(i: number): number;
  /** Entry `i` as an object. */
  entry(i: number): BlockEntry;
}

/** What the block table says about a block, checked when it is decoded. */
export interface BlockExpectation {
  readonly crc: number;
  readonly uncompressedBytes: number;
  readonly entries: number;
  readonly minTsNs: bigint;
  readonly maxTsNs: bigint;
  /** CRC32C of the uncompressed layout; checked only when asked (it costs a pass over the block). */
  readonly contentCrc: number;
}

const TWO32 = 4294967296;
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** A block source over entry objects, ordered by timestamp (stable). */
export function blockSourceFromEntries(entries: readonly PushEntry[]): BlockSource {
  const tsNs = entries.map((e) => e.tsNs);
  const lineBounds = new Uint32Array(entries.length + 1);
  for (let i = 0; i < entries.length; i++) lineBounds[i + 1] = (lineBounds[i] as number) + (entries[i] as PushEntry).line.length;
  const lineBytes = new Uint8Array(lineBounds[entries.length] as number);
  for (let i = 0; i < entries.length; i++) lineBytes.set((entries[i] as PushEntry).line, lineBounds[i]);
  return { tsNs, lineBytes, lineBounds, structuredMetadata: entries.map((e) => e.structuredMetadata), order: sortOrder(tsNs) };
}

/** Positions `0..n-1` sorted by timestamp, equal timestamps in position order. */
export function sortOrder(tsNs: ArrayLike<bigint>): Uint32Array {
  const n = tsNs.length;
  const order = new Uint32Array(n);
  let sorted = true;
  for (let i = 0; i < n; i++) {
    order[i] = i;
    if (i > 0 && (tsNs[i] as bigint) < (tsNs[i - 1] as bigint)) sorted = false;
  }
  if (sorted) return order;
  // Number() keeps order (it rounds monotonically), so doubles decide all but near-equal pairs.
  const approx = new Float64Array(n);
  for (let i = 0; i < n; i++) approx[i] = Number(tsNs[i] as bigint);
  const idx = Array.from(order);
  idx.sort((a, b) => {
    const d = (approx[a] as number) - (approx[b] as number);
    if (d !== 0) return d;
    const x = tsNs[a] as bigint;
    const y = tsNs[b] as bigint;
    return x < y ? -1 : x > y ? 1 : a - b;
  });
  return Uint32Array.from(idx);
}

/** The uncompressed layout of a block. Throws FjordError('invalid_argument') for no entries or unsorted order. */
export function encodeBlockPayload(src: BlockSource): Uint8Array {
  const n = src.order.length;
  if (n === 0) throw new FjordError('invalid_argument', 'a block needs at least one entry');
  const base = src.tsNs[src.order[0] as number] as bigint;
  const meta = encodeMetadataSection(src.structuredMetadata, src.order);
  let lineTotal = 0;
  let inOrder = true;
  for (let i = 0; i < n; i++) {
    const j = src.order[i] as number;
    if (j !== i) inOrder = false;
    lineTotal += (src.lineBounds[j + 1] as number) - (src.lineBounds[j] as number);
  }
  const buf = new Uint8Array(10 + 10 + n * 15 + 10 + meta.length + lineTotal);
  let pos = putUvarint(buf, 0, n);
  pos = putUvarintBig(buf, pos, zigzagEncode(base));
  let prev = base;
  for (let i = 0; i < n; i++) {
    const ts = src.tsNs[src.order[i] as number] as bigint;
    const delta = ts - prev;
    if (delta < 0n) throw new FjordError('invalid_argument', 'block entries must be in timestamp order');
    pos = putUvarintBig(buf, pos, delta);
    prev = ts;
  }
  for (let i = 0; i < n; i++) {
    const j = src.order[i] as number;
    pos = putUvarint(buf, pos, (src.lineBounds[j + 1] as number) - (src.lineBounds[j] as number));
  }
  pos = putUvarint(buf, pos, meta.length);
  buf.set(meta, pos);
  pos += meta.length;
  if (inOrder) {
    // Entries in append order: their lines are one run of the source's bytes.
    buf.set(src.lineBytes.subarray(src.lineBounds[0], src.lineBounds[n]), pos);
    pos += lineTotal;
  } else {
    for (let i = 0; i < n; i++) {
      const j = src.order[i] as number;
      const start = src.lineBounds[j] as number;
      const end = src.lineBounds[j + 1] as number;
      buf.set(src.lineBytes.subarray(start, end), pos);
      pos += end - start;
    }
  }
  return buf.subarray(0, pos);
}

/** Encode, compress and checksum a block. */
export function encodeBlock(src: BlockSource, codec: Codec): EncodedBlock {
  const payload = encodeBlockPayload(src);
  const compressed = codec.compress(payload);
  const n = src.order.length;
  return {
    compressed,
    crc: crc32c(compressed),
    contentCrc: crc32c(payload),
    uncompressedBytes: payload.length,
    entries: n,
    minTsNs: src.tsNs[src.order[0] as number] as bigint,
    maxTsNs: src.tsNs[src.order[n - 1] as number] as bigint,
  };
}

class ColumnarBlock implements DecodedBlock {
  readonly hasStructuredMetadata: boolean;
  constructor(
    readonly count: number,
    readonly tsNs: BigInt64Array,
    readonly text: Buffer,
    readonly bounds: Uint32Array,
    private readonly meta: MetadataSection | null,
  ) {
    this.hasStructuredMetadata = meta !== null;
  }

  line(i: number): Uint8Array {
    return this.text.subarray(this.bounds[i], this.bounds[i + 1]);
  }

  structuredMetadata(i: number): readonly Label[] {
    if (i < 0 || i >= this.count) throw new FjordError('invalid_argument', `entry ${i} out of range`);
    return this.meta === null ? [] : this.meta.labels(i);
  }

  structuredMetadataBytes(i: number): number {
    return this.meta === null ? 0 : this.meta.pairBytes(i);
  }

  entry(i: number): BlockEntry {
    return { tsNs: this.tsNs[i] as bigint, line: this.line(i), structuredMetadata: this.structuredMetadata(i) };
  }
}

/**
 * Read `count` ts deltas from `r` into `out`, without a bigint per entry when the block spans less
 * than 2^53 ns (always, in practice): the 64-bit sums are built in two 32-bit halves.
 */
function readTimestamps(r: ByteReader, base: bigint, out: BigInt64Array): void {
  const count = out.length;
  const start = r.pos;
  if (LITTLE_ENDIAN) {
    const halves = new Uint32Array(out.buffer, out.byteOffset, count * 2);
    const bytes = r.bytes;
    const end = r.end;
    const baseLo = Number(BigInt.asUintN(32, base));
    const baseHi = Number(BigInt.asUintN(32, base >> 32n));
    let offLo = 0;
    let offHi = 0;
    let pos = r.pos;
    let ok = true;
    for (let i = 0; i < count; i++) {
      // Inline uvarint of at most 7 bytes (< 2^49); longer ones take the bigint path.
      let delta = 0;
      let mul = 1;
      let b = 0x80;
      let k = 0;
      for (; k < 7 && b >= 0x80; k++) {
        if (pos >= end) throw r.fail('truncated reading timestamps');
        b = bytes[pos++] as number;
        delta += (b & 0x7f) * mul;
        mul *= 128;
      }
      if (b >= 0x80) {
        ok = false;
        break;
      }
      offLo += delta;
      if (offLo >= TWO32) {
        const carry = Math.floor(offLo / TWO32);
        offHi += carry;
        offLo -= carry * TWO32;
      }
      if (offHi >= 0x200000) {
        ok = false; // offset past 2^53: leave it to bigints
        break;
      }
      let lo = baseLo + offLo;
      let hi = baseHi + offHi;
      if (lo >= TWO32) {
        lo -= TWO32;
        hi += 1;
      }
      halves[2 * i] = lo;
      halves[2 * i + 1] = hi >>> 0;
    }
    if (ok) {
      r.pos = pos;
      return;
    }
    r.pos = start;
  }
  let ts = base;
  for (let i = 0; i < count; i++) {
    ts = BigInt.asIntN(64, ts + r.uvarintBig('timestamp delta'));
    out[i] = ts;
  }
}

/** Decode a block's uncompressed layout. Throws FjordError('chunk_corrupt') naming the bad part. */
export function decodeBlockPayload(payload: Uint8Array): DecodedBlock {
  const r = new ByteReader(payload, 'block', 'chunk_corrupt');
  const count = r.uvarint('entry count');
  if (count === 0) throw r.fail('no entries');
  // Each entry takes at least two bytes (ts delta and line length).
  if (count * 2 > r.remaining) throw r.fail('entry count exceeds the block');
  const base = r.varintBig('base timestamp');
  const tsNs = new BigInt64Array(count);
  readTimestamps(r, base, tsNs);
  const bounds = new Uint32Array(count + 1);
  let total = 0;
  for (let i = 0; i < count; i++) {
    total += r.uvarint('line length');
    if (total > payload.length) throw r.fail('line lengths exceed the block');
    bounds[i + 1] = total;
  }
  const metaLen = r.uvarint('structured metadata length');
  const meta = MetadataSection.parse(r.bytesView(metaLen, 'structured metadata'), count);
  if (r.remaining !== total) throw r.fail(`lines region is ${r.remaining} bytes, line lengths add up to ${total}`);
  const text = Buffer.from(payload.buffer, payload.byteOffset + r.pos, total);
  return new ColumnarBlock(count, tsNs, text, bounds, meta);
}

/** Throws FjordError('chunk_corrupt') unless the compressed block's CRC32C is the table's. */
export function checkBlockCrc(compressed: Uint8Array, expect: Pick<BlockExpectation, 'crc'>): void {
  const crc = crc32c(compressed);
  if (crc !== expect.crc) throw new FjordError('chunk_corrupt', `block: CRC32C mismatch (stored ${crcHex(expect.crc)}, computed ${crcHex(crc)})`);
}

/**
 * Check a compressed block against its table entry, decompress and decode it. Throws
 * FjordError('chunk_corrupt') for a CRC mismatch, a codec failure or a block that disagrees with
 * the table; with `verifyContent`, also for a content CRC mismatch after decompression. A reader
 * that checked the block's CRC already (`checkBlockCrc`, e.g. when the chunk was fetched) passes
 * `crcChecked` to skip doing it again.
 */
export function decodeBlock(compressed: Uint8Array, codec: Codec, expect: BlockExpectation, verifyContent = false, crcChecked = false): DecodedBlock {
  if (!crcChecked) checkBlockCrc(compressed, expect);
  let payload: Uint8Array;
  try {
    payload = codec.decompress(compressed, expect.uncompressedBytes);
  } catch (err) {
    throw new FjordError('chunk_corrupt', `block: ${codec.encoding} decompression failed`, { cause: err });
  }
  return decodeDecompressedBlock(payload, expect, verifyContent);
}

/**
 * Decode a block already decompressed (elsewhere, e.g. by a worker thread), checking it against its
 * table entry as `decodeBlock` does. Throws FjordError('chunk_corrupt').
 */
export function decodeDecompressedBlock(payload: Uint8Array, expect: BlockExpectation, verifyContent = false): DecodedBlock {
  if (payload.length !== expect.uncompressedBytes) {
    throw new FjordError('chunk_corrupt', `block: decompressed to ${payload.length} bytes, table says ${expect.uncompressedBytes}`);
  }
  if (verifyContent) {
    const content = crc32c(payload);
    if (content !== expect.contentCrc) throw new FjordError('chunk_corrupt', `block: content CRC32C mismatch (stored ${crcHex(expect.contentCrc)}, computed ${crcHex(content)})`);
  }
  const block = decodeBlockPayload(payload);
  if (block.count !== expect.entries) throw new FjordError('chunk_corrupt', `block: ${block.count} entries, table says ${expect.entries}`);
  if (block.tsNs[0] !== expect.minTsNs || block.tsNs[block.count - 1] !== expect.maxTsNs) {
    throw new FjordError('chunk_corrupt', 'block: timestamps disagree with the table');
  }
  return block;
}

/** A CRC as 8 hex digits, for messages. */
export function crcHex(crc: number): string {
  return (crc >>> 0).toString(16).padStart(8, '0');
}
