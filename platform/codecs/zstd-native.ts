/**
 * zstd through zstd-napi, the native binding (an optional dependency: on machines where the addon
 * did not build, `loadZstdNative` returns null and `loadCodecs` falls back to the WebAssembly build).
 */
import { createRequire } from 'node:module';
import { FjordError, type Codec } from '../../schemas/index.js';
import { readZstdFrameHeader } from './zstd-frame.js';

const require = createRequire(import.meta.url);

/** The part of zstd-napi used here (declared locally: the package is optional). */
interface ZstdNapi {
  Compressor: new () => { setParameters(p: { compressionLevel?: number }): void; compress(data: Uint8Array): Uint8Array };
  Decompressor: new () => { decompress(data: Uint8Array): Uint8Array };
}

/** Load the native zstd codec at `level` (3 is zstd's default), or null when the addon is unavailable. */
export function loadZstdNative(level = 3): Codec | null {
  let mod: ZstdNapi;
  let compressor: InstanceType<ZstdNapi['Compressor']>;
  let decompressor: InstanceType<ZstdNapi['Decompressor']>;
  try {
    mod = require('zstd-napi') as ZstdNapi;
    compressor = new mod.Compressor();
    compressor.setParameters({ compressionLevel: level });
    decompressor = new mod.Decompressor();
  } catch {
    return null;
  }
  return {
    encoding: 'zstd',
    implementation: 'zstd-napi (native)',
    compress(data) {
      return compressor.compress(data);
    },
    decompress(data, sizeHint) {
      // The decoder allocates what the frame declares: check it against the expected size first.
      const frame = readZstdFrameHeader(data);
      if (sizeHint !== undefined && frame !== null && frame.contentSize !== sizeHint) {
        throw new FjordError('chunk_corrupt', `zstd: frame declares ${frame.contentSize} bytes, expected ${sizeHint}`);
      }
      try {
        return decompressor.decompress(data);
      } catch (err) {
        throw new FjordError('chunk_corrupt', 'zstd: corrupt or truncated block', { cause: err });
      }
    },
  };
}
