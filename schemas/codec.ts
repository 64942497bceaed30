/** A block compression codec; chunk encoding and decoding take one as an argument. */

/** The chunk encodings Fjord writes and reads (`ingester.chunk_encoding`). */
export type ChunkEncoding = 'zstd' | 'gzip' | 'snappy' | 'none';

/** Synchronous block compression. Implementations live in platform/codecs. */
export interface Codec {
  readonly encoding: ChunkEncoding;
  /** Which implementation this is, for benchmarks and logs (e.g. `zstd-napi`, `zstd-codec (wasm)`). */
  readonly implementation: string;
  compress(data: Uint8Array): Uint8Array;
  /** Decompress; `sizeHint` is the uncompressed size when known. Throws on corrupt input. */
  decompress(data: Uint8Array, sizeHint?: number): Uint8Array;
}

/** One codec per encoding, as `loadCodecs` returns them. */
export type CodecSet = { readonly [E in ChunkEncoding]: Codec };
