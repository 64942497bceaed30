/** Snappy through the `snappy` package (napi-rs), block format (not the framed stream format). */
import { createRequire } from 'node:module';
import { FjordError, type Codec } from '../../schemas/index.js';

const require = createRequire(import.meta.url);

interface SnappyModule {
  compressSync(input: Uint8Array, options: { copyOutputData: true }): Uint8Array;
  uncompressSync(input: Uint8Array, options: { asBuffer: true; copyOutputData: true }): Uint8Array | string;
}

/**
 * Output copied into an ordinary buffer: several times faster here than the package's default
 * external buffer (measured: compress about 6×, decompress about 9× on 256 KB of log text).
 */
export const SNAPPY_OUTPUT = { copyOutputData: true } as const;

/** The snappy codec. Throws if the native package cannot load. */
export function snappyCodec(): Codec {
  const snappy = require('snappy') as SnappyModule;
  return {
    encoding: 'snappy',
    implementation: 'snappy (napi-rs)',
    compress(data) {
      return snappy.compressSync(data, SNAPPY_OUTPUT);
    },
    decompress(data) {
      let out: Uint8Array | string;
      try {
        out = snappy.uncompressSync(data, { asBuffer: true, ...SNAPPY_OUTPUT });
      } catch (err) {
        throw new FjordError('chunk_corrupt', 'snappy: corrupt or truncated block', { cause: err });
      }
      if (typeof out === 'string') throw new FjordError('internal', 'snappy returned a string');
      return out;
    },
  };
}
