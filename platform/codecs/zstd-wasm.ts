/** zstd through zstd-codec: WebAssembly, installs anywhere, the fallback when the native binding does not load. */
import { createRequire } from 'node:module';
import { FjordError, type Codec } from '../../schemas/index.js';
import { isEmptyZstdFrame, readZstdFrameHeader } from './zstd-frame.js';

const require = createRequire(import.meta.url);

/** Load the WebAssembly zstd codec; `level` is the compression level (3 is zstd's default). */
export async function loadZstdWasm(level = 3): Promise<Codec> {
  const { ZstdCodec } = require('zstd-codec') as typeof import('zstd-codec');
  const simple = await new Promise<InstanceType<Parameters<Parameters<typeof ZstdCodec.run>[0]>[0]['Simple']>>((resolve) =>
    ZstdCodec.run((zstd) => resolve(new zstd.Simple())),
  );
  return {
    encoding: 'zstd',
    implementation: 'zstd-codec (wasm)',
    compress(data) {
      const out = simple.compress(data, level);
      if (!out) throw new FjordError('internal', 'zstd compression failed');
      return out;
    },
    decompress(data, sizeHint) {
      // The decoder allocates what the frame declares: check it against the expected size first.
      const frame = readZstdFrameHeader(data);
      if (frame === null) throw new FjordError('chunk_corrupt', 'zstd: not a frame with a declared content size');
      if (sizeHint !== undefined && frame.contentSize !== sizeHint) {
        throw new FjordError('chunk_corrupt', `zstd: frame declares ${frame.contentSize} bytes, expected ${sizeHint}`);
      }
      if (isEmptyZstdFrame(data, frame)) return new Uint8Array(0);
      let out: Uint8Array | null;
      try {
        out = simple.decompress(data);
      } catch (err) {
        throw new FjordError('chunk_corrupt', 'zstd: corrupt or truncated block', { cause: err });
      }
      if (!out) throw new FjordError('chunk_corrupt', 'zstd: corrupt or truncated block');
      return out;
    },
  };
}
