/** gzip through node:zlib (synchronous): Loki's default `chunk_encoding`. */
import { gunzipSync, gzipSync } from 'node:zlib';
import { FjordError, type Codec } from '../../schemas/index.js';

/** The gzip codec at `level` (zlib's default 6, as Go's gzip.DefaultCompression). */
export function gzipCodec(level = 6): Codec {
  return {
    encoding: 'gzip',
    implementation: `node:zlib gzip (level ${level})`,
    compress(data) {
      return gzipSync(data, { level });
    },
    decompress(data, sizeHint) {
      try {
        // A size hint bounds the output, so a corrupt stream cannot inflate without limit.
        return gunzipSync(data, sizeHint === undefined ? {} : { maxOutputLength: Math.max(1, sizeHint) });
      } catch (err) {
        throw new FjordError('chunk_corrupt', 'gzip: corrupt or truncated block', { cause: err });
      }
    },
  };
}
