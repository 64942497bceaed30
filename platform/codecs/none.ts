/** The `none` encoding: blocks stored as they are. */
import type { Codec } from '../../schemas/index.js';

/** The identity codec; compress copies (so a chunk never aliases the caller's buffer), decompress returns a view. */
export function noneCodec(): Codec {
  return {
    encoding: 'none',
    implementation: 'none',
    compress(data) {
      return data.slice();
    },
    decompress(data) {
      return data;
    },
  };
}
