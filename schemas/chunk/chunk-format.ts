/**
 * The chunk object: a header, a block table, the compressed blocks, and a fixed footer; each part
 * carries a CRC32C. The header and table come first so one ranged read of the chunk's first
 * `headerBytes + tableBytes` bytes (both in the fixed preamble and in the footer) finds every block,
 * and a reader then fetches only the blocks overlapping its time range. Byte layout: FORMATS.md §1.
 * The codec is an argument. Pure.
 */
import { ByteReader, ByteWriter, crc32c } from '../wire/index.js';
import type { ChunkEncoding } from '../codec.js';
import { crcHex, type EncodedBlock } from './chunk-block.js';
import { FjordError } from '../errors.js';

/** "FJCH", big-endian, the first four bytes of every chunk. */
export const CHUNK_MAGIC = 0x464a4348;
/** "FJCE", big-endian, the last four bytes of every chunk. */
export const CHUNK_END_MAGIC = 0x464a4345;
/** The chunk format version this code writes and reads. */
export const CHUNK_VERSION = 1;
/** Bytes of the fixed preamble that opens the header (magic, version, encoding, header and table lengths). */
export const CHUNK_PREAMBLE_BYTES = 14;
/** Bytes of the fixed footer. */
export const CHUNK_FOOTER_BYTES = 16;

const ENCODING_BYTE: Record<ChunkEncoding, number> = { none: 0, gzip: 1, snappy: 2, zstd: 3 };
const ENCODINGS: readonly ChunkEncoding[] = ['none', 'gzip', 'snappy', 'zstd'];

/** What the writer says about a chunk; the rest of the header comes from its blocks. */
export interface ChunkMeta {
  readonly tenant: string;
  /** The stream's labels in canonical text (`formatLabels`). */
  readonly labels: string;
  /** The stream fingerprint, 16 lowercase hex digits (`fnv1a64Hex` of `labels`). */
  readonly fingerprint: string;
  /** The codec the blocks were compressed with. */
  readonly encoding: ChunkEncoding;
}

/** A decoded chunk header. */
export interface ChunkHeader extends ChunkMeta {
  readonly version: number;
  /** Smallest and largest entry timestamp in the chunk, ns, both inclusive. */
  readonly fromNs: bigint;
  readonly throughNs: bigint;
  readonly entries: number;
  /** Sum of the blocks' uncompressed sizes. */
  readonly uncompressedBytes: number;
  readonly blockCount: number;
  /** Length of the header (it starts at 0), and of the block table that follows it. */
  readonly headerBytes: number;
  readonly tableBytes: number;
}

/** One row of the block table. */
export interface BlockRef {
  /** Smallest and largest timestamp in the block, ns, both inclusive. */
  readonly minTsNs: bigint;
  readonly maxTsNs: bigint;
  /** Where the compressed block sits in the chunk object. */
  readonly offset: number;
  readonly compressedBytes: number;
  readonly uncompressedBytes: number;
  readonly entries: number;
  /** CRC32C of the compressed bytes, and of the uncompressed layout. */
  readonly crc: number;
  readonly contentCrc: number;
}

/** An encoded chunk with its decoded parts and its content checksum. */
export interface EncodedChunk {
  readonly bytes: Uint8Array;
  readonly header: ChunkHeader;
  readonly table: readonly BlockRef[];
  /** CRC32C of the chunk's content (not its compressed bytes): the checksum in its object key. */
  readonly checksum: number;
}

/** What the footer says. */
export interface ChunkFooter {
  readonly headerBytes: number;
  readonly tableBytes: number;
}

const MAX_U32 = 0xffffffff;

function writeTable(fromNs: bigint, offset0: number, blocks: readonly EncodedBlock[]): Uint8Array {
  const w = new ByteWriter(16 + blocks.length * 32);
  w.uvarint(blocks.length);
  let offset = offset0;
  for (const b of blocks) {
    w.uvarintBig(b.minTsNs - fromNs).uvarintBig(b.maxTsNs - b.minTsNs);
    w.uvarint(offset).uvarint(b.compressed.length).uvarint(b.uncompressedBytes).uvarint(b.entries);
    w.u32(b.crc).u32(b.contentCrc);
    offset += b.compressed.length;
  }
  w.u32(crc32c(w.view8()));
  return w.finish();
}

function writeHeaderBody(meta: ChunkMeta, fromNs: bigint, throughNs: bigint, entries: number, uncompressed: number, blockCount: number): Uint8Array {
  const w = new ByteWriter(64 + meta.labels.length * 2);
  w.string(meta.tenant).string(meta.labels).u64be(parseFingerprint(meta.fingerprint));
  w.varintBig(fromNs).uvarintBig(throughNs - fromNs).uvarint(entries).uvarint(uncompressed).uvarint(blockCount);
  return w.finish();
}

/** The 64-bit fingerprint of its 16 hex digits; throws FjordError('invalid_argument') otherwise. */
export function parseFingerprint(fingerprint: string): bigint {
  if (!/^[0-9a-f]{16}$/.test(fingerprint)) throw new FjordError('invalid_argument', `invalid stream fingerprint ${JSON.stringify(fingerprint)}`);
  return BigInt(`0x${fingerprint}`);
}

/**
 * The content checksum of a chunk: CRC32C over tenant, labels, fingerprint, time range, entry
 * count and, per block, its entry count, time range, uncompressed size and content CRC. It does not
 * depend on the encoding or the codec implementation, so rebuilding the same entries gives the
 * same object key.
 */
export function chunkChecksum(header: Pick<ChunkHeader, 'tenant' | 'labels' | 'fingerprint' | 'fromNs' | 'throughNs' | 'entries'>, table: readonly Pick<BlockRef, 'minTsNs' | 'maxTsNs' | 'uncompressedBytes' | 'entries' | 'contentCrc'>[]): number {
  const w = new ByteWriter(128 + table.length * 24);
  w.string(header.tenant).string(header.labels).string(header.fingerprint);
  w.varintBig(header.fromNs).varintBig(header.throughNs).uvarint(header.entries).uvarint(table.length);
  for (const b of table) w.varintBig(b.minTsNs).varintBig(b.maxTsNs).uvarint(b.uncompressedBytes).uvarint(b.entries).u32(b.contentCrc);
  return crc32c(w.view8());
}

/**
 * Assemble a chunk from compressed blocks (in the order they were cut). Throws
 * FjordError('invalid_argument') for no blocks, a bad fingerprint, or a chunk over 4 GiB.
 */
export function encodeChunk(meta: ChunkMeta, blocks: readonly EncodedBlock[]): EncodedChunk {
  if (blocks.length === 0) throw new FjordError('invalid_argument', 'a chunk needs at least one block');
  let fromNs = (blocks[0] as EncodedBlock).minTsNs;
  let throughNs = (blocks[0] as EncodedBlock).maxTsNs;
  let entries = 0;
  let uncompressed = 0;
  let blockBytes = 0;
  for (const b of blocks) {
    if (b.minTsNs < fromNs) fromNs = b.minTsNs;
    if (b.maxTsNs > throughNs) throughNs = b.maxTsNs;
    entries += b.entries;
    uncompressed += b.uncompressedBytes;
    blockBytes += b.compressed.length;
  }
  const body = writeHeaderBody(meta, fromNs, throughNs, entries, uncompressed, blocks.length);
  const headerBytes = CHUNK_PREAMBLE_BYTES + body.length + 4;
  // The table holds block offsets, which depend on its own length: size it with offsets from a
  // guess, then rewrite until the length is stable (at most a couple of rounds: varints grow slowly).
  let table = writeTable(fromNs, headerBytes, blocks);
  for (;;) {
    const next = writeTable(fromNs, headerBytes + table.length, blocks);
    if (next.length === table.length) {
      table = next;
      break;
    }
    table = next;
  }
  const total = headerBytes + table.length + blockBytes + CHUNK_FOOTER_BYTES;
  if (total > MAX_U32) throw new FjordError('invalid_argument', `chunk of ${total} bytes exceeds 4 GiB`);

  const w = new ByteWriter(total);
  w.u32be(CHUNK_MAGIC).u8(CHUNK_VERSION).u8(ENCODING_BYTE[meta.encoding]).u32(headerBytes).u32(table.length);
  w.bytes(body);
  w.u32(crc32c(w.view8()));
  w.bytes(table);
  for (const b of blocks) w.bytes(b.compressed);
  const footerAt = w.length;
  w.u32(headerBytes).u32(table.length);
  w.u32(crc32c(w.view8().subarray(footerAt, footerAt + 8))).u32be(CHUNK_END_MAGIC);
  const bytes = w.finish();

  const header: ChunkHeader = {
    ...pickMeta(meta),
    version: CHUNK_VERSION,
    fromNs,
    throughNs,
    entries,
    uncompressedBytes: uncompressed,
    blockCount: blocks.length,
    headerBytes,
    tableBytes: table.length,
  };
  const refs = readBlockTable(bytes, header);
  return { bytes, header, table: refs, checksum: chunkChecksum(header, refs) };
}

function pickMeta(meta: ChunkMeta): ChunkMeta {
  return { tenant: meta.tenant, labels: meta.labels, fingerprint: meta.fingerprint, encoding: meta.encoding };
}

/**
 * Bytes a reader needs from the start of the chunk for its header and block table, from the
 * first CHUNK_PREAMBLE_BYTES bytes. Throws FjordError('chunk_corrupt') if they are not a chunk's.
 */
export function chunkPrefixBytes(preamble: Uint8Array): number {
  const r = new ByteReader(preamble, 'chunk header', 'chunk_corrupt');
  readPreamble(r);
  const headerBytes = r.u32('header length');
  const tableBytes = r.u32('table length');
  return headerBytes + tableBytes;
}

function readPreamble(r: ByteReader): { version: number; encoding: ChunkEncoding } {
  const magic = r.u32be('magic');
  if (magic !== CHUNK_MAGIC) throw r.fail(`bad magic ${crcHex(magic)}`);
  const version = r.u8('version');
  if (version !== CHUNK_VERSION) throw r.fail(`unsupported version ${version}`);
  const code = r.u8('encoding');
  const encoding = ENCODINGS[code];
  if (encoding === undefined) throw r.fail(`unknown encoding ${code}`);
  return { version, encoding };
}

/**
 * Decode the header from the start of a chunk (`bytes` may be just a prefix). Throws
 * FjordError('chunk_corrupt', 'chunk header: …') for a bad magic, version, encoding, length or CRC.
 */
export function decodeChunkHeader(bytes: Uint8Array): ChunkHeader {
  const r = new ByteReader(bytes, 'chunk header', 'chunk_corrupt');
  const { version, encoding } = readPreamble(r);
  const headerBytes = r.u32('header length');
  const tableBytes = r.u32('table length');
  if (headerBytes < CHUNK_PREAMBLE_BYTES + 4 || headerBytes > bytes.length) throw r.fail(headerBytes > bytes.length ? 'truncated' : 'bad header length');
  const stored = new DataView(bytes.buffer, bytes.byteOffset + headerBytes - 4, 4).getUint32(0, true);
  const computed = crc32c(bytes, 0, headerBytes - 4);
  if (stored !== computed) throw r.fail(`CRC32C mismatch (stored ${crcHex(stored)}, computed ${crcHex(computed)})`);
  const body = new ByteReader(bytes, 'chunk header', 'chunk_corrupt', r.pos, headerBytes - 4);
  const tenant = body.string('tenant');
  const labels = body.string('labels');
  const fingerprint = body.u64be('fingerprint').toString(16).padStart(16, '0');
  const fromNs = body.varintBig('from');
  const throughNs = fromNs + body.uvarintBig('through');
  const entries = body.uvarint('entry count');
  const uncompressedBytes = body.uvarint('uncompressed size');
  const blockCount = body.uvarint('block count');
  body.expectEnd();
  return { tenant, labels, fingerprint, encoding, version, fromNs, throughNs, entries, uncompressedBytes, blockCount, headerBytes, tableBytes };
}

/** Decode the footer from the last CHUNK_FOOTER_BYTES (or more) bytes of a chunk. */
export function decodeChunkFooter(tail: Uint8Array): ChunkFooter {
  const at = tail.length - CHUNK_FOOTER_BYTES;
  const r = new ByteReader(tail, 'chunk footer', 'chunk_corrupt', Math.max(0, at));
  if (at < 0) throw r.fail('truncated');
  const headerBytes = r.u32('header length');
  const tableBytes = r.u32('table length');
  const stored = r.u32('CRC32C');
  const computed = crc32c(tail, at, at + 8);
  if (stored !== computed) throw r.fail(`CRC32C mismatch (stored ${crcHex(stored)}, computed ${crcHex(computed)})`);
  const magic = r.u32be('end magic');
  if (magic !== CHUNK_END_MAGIC) throw r.fail(`bad end magic ${crcHex(magic)}`);
  return { headerBytes, tableBytes };
}

/**
 * Decode the block table that follows the header; `bytes` is the chunk or a prefix of at least
 * `header.headerBytes + header.tableBytes` bytes. Throws FjordError('chunk_corrupt', 'block table: …').
 */
export function readBlockTable(bytes: Uint8Array, header: ChunkHeader): BlockRef[] {
  const start = header.headerBytes;
  const end = start + header.tableBytes;
  const r = new ByteReader(bytes, 'block table', 'chunk_corrupt', start, Math.min(end, bytes.length));
  if (end > bytes.length || header.tableBytes < 5) throw r.fail(end > bytes.length ? 'truncated' : 'bad table length');
  const stored = new DataView(bytes.buffer, bytes.byteOffset + end - 4, 4).getUint32(0, true);
  const computed = crc32c(bytes, start, end - 4);
  if (stored !== computed) throw r.fail(`CRC32C mismatch (stored ${crcHex(stored)}, computed ${crcHex(computed)})`);
  const t = new ByteReader(bytes, 'block table', 'chunk_corrupt', start, end - 4);
  const count = t.uvarint('block count');
  if (count !== header.blockCount) throw t.fail(`${count} blocks, header says ${header.blockCount}`);
  const refs: BlockRef[] = [];
  let expectOffset = end;
  let entries = 0;
  for (let i = 0; i < count; i++) {
    const minTsNs = header.fromNs + t.uvarintBig('block min time');
    const maxTsNs = minTsNs + t.uvarintBig('block max time');
    const offset = t.uvarint('block offset');
    const compressedBytes = t.uvarint('block length');
    const uncompressedBytes = t.uvarint('block uncompressed length');
    const blockEntries = t.uvarint('block entry count');
    const crc = t.u32('block CRC32C');
    const contentCrc = t.u32('block content CRC32C');
    if (offset !== expectOffset) throw t.fail(`block ${i} at offset ${offset}, expected ${expectOffset}`);
    if (maxTsNs > header.throughNs) throw t.fail(`block ${i} ends after the chunk`);
    expectOffset += compressedBytes;
    entries += blockEntries;
    refs.push({ minTsNs, maxTsNs, offset, compressedBytes, uncompressedBytes, entries: blockEntries, crc, contentCrc });
  }
  t.expectEnd();
  if (entries !== header.entries) throw t.fail(`blocks hold ${entries} entries, header says ${header.entries}`);
  return refs;
}

/** Total length of the chunk object the header and table describe. */
export function chunkLength(header: ChunkHeader, table: readonly BlockRef[]): number {
  const last = table[table.length - 1];
  return (last === undefined ? header.headerBytes + header.tableBytes : last.offset + last.compressedBytes) + CHUNK_FOOTER_BYTES;
}

/**
 * The blocks with an entry in `[startNs, endNs)`, in table order. Blocks may overlap in time when
 * entries arrived out of order, so readers merge the blocks they fetch by timestamp.
 */
export function chunkBlocksOverlapping(table: readonly BlockRef[], startNs: bigint, endNs: bigint): BlockRef[] {
  return table.filter((b) => b.minTsNs < endNs && b.maxTsNs >= startNs);
}

/** A block's compressed bytes within the whole chunk. Throws FjordError('chunk_corrupt') if the chunk is too short. */
export function blockBytes(chunk: Uint8Array, ref: BlockRef): Uint8Array {
  if (ref.offset + ref.compressedBytes > chunk.length) throw new FjordError('chunk_corrupt', 'block: truncated');
  return chunk.subarray(ref.offset, ref.offset + ref.compressedBytes);
}
