/** Snappy through the `snappy` package (napi-rs), block format (not the framed stream format). */
import { createRequire } from 'node:module';
import { FjordError, type Codec } from '../../schemas/index.js';

const require = createRequire(import.meta.url);

interface SnappyModule {
  compressSync(input: Uint8Array): Uint8Array;
  uncompressSync(input: Uint8Array, options: { asBuffer: true }): Uint8Array | string;
}

/** The snappy codec. Throws if the native package cannot load. */
export function snappyCodec(): Codec {
  const snappy = require('snappy') as SnappyModule;
  return {
    encoding: 'snappy',
    implementation: 'snappy (napi-rs)',
    compress(data) {
      return snappy.compressSync(data);
    },
    decompress(data) {
      let out: Uint8Array | string;
      try {
        out = snappy.uncompressSync(data, { asBuffer: true });
      } catch (err) {
        throw new FjordError('chunk_corrupt', 'snappy: corrupt or truncated block', { cause: err });
      }
      if (typeof out === 'string') throw new FjordError('internal', 'snappy returned a string');
      return out;
    },
  };
}
