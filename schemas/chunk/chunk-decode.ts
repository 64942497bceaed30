/**
 * Whole-chunk decoding with every check the format allows, for tools, tests and the index rebuild:
 * footer, header, table, each block's CRC32C and content CRC32C, and the content checksum. Readers
 * on the query path use the ranged pieces in chunk-format.ts instead. Pure.
 */
import { decodeBlock, type DecodedBlock } from './chunk-block.js';
import {
  blockBytes,
  chunkChecksum,
  chunkLength,
  decodeChunkFooter,
  decodeChunkHeader,
  readBlockTable,
  type BlockRef,
  type ChunkHeader,
} from './chunk-format.js';
import type { CodecSet } from '../codec.js';
import { FjordError } from '../errors.js';

/** A fully decoded chunk. */
export interface DecodedChunk {
  readonly header: ChunkHeader;
  readonly table: readonly BlockRef[];
  readonly blocks: readonly DecodedBlock[];
  /** The content checksum (the one in the chunk's object key). */
  readonly checksum: number;
}

/**
 * Decode and check a whole chunk. Throws FjordError('chunk_corrupt') with a message naming the part
 * that failed (`chunk header`, `chunk footer`, `block table`, `block`, `chunk`).
 */
export function decodeChunk(bytes: Uint8Array, codecs: CodecSet): DecodedChunk {
  const header = decodeChunkHeader(bytes);
  const footer = decodeChunkFooter(bytes);
  if (footer.headerBytes !== header.headerBytes || footer.tableBytes !== header.tableBytes) {
    throw new FjordError('chunk_corrupt', 'chunk footer: disagrees with the header');
  }
  const table = readBlockTable(bytes, header);
  const length = chunkLength(header, table);
  if (length !== bytes.length) throw new FjordError('chunk_corrupt', `chunk: ${bytes.length} bytes, its table describes ${length}`);
  const codec = codecs[header.encoding];
  const blocks: DecodedBlock[] = [];
  let uncompressed = 0;
  for (const ref of table) {
    const block = decodeBlock(blockBytes(bytes, ref), codec, ref, true);
    blocks.push(block);
    uncompressed += ref.uncompressedBytes;
  }
  if (uncompressed !== header.uncompressedBytes) throw new FjordError('chunk_corrupt', 'chunk: uncompressed size disagrees with its blocks');
  return { header, table, blocks, checksum: chunkChecksum(header, table) };
}
