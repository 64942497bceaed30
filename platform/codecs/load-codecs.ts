/** One codec per chunk encoding, with the best zstd this machine has. */
import { FjordError, type CodecSet } from '../../schemas/index.js';
import { installNativeCrc32c } from './crc32c-native.js';
import { gzipCodec } from './gzip.js';
import { noneCodec } from './none.js';
import { snappyCodec } from './snappy.js';
import { loadZstdNative } from './zstd-native.js';
import { loadZstdWasm } from './zstd-wasm.js';

/** Which zstd to use: the native binding when it loads (`auto`), or one of them by force. */
export type ZstdImplementation = 'auto' | 'native' | 'wasm';

/** Options for `loadCodecs`. */
export interface LoadCodecsOptions {
  /** zstd compression level (3, zstd's default). */
  readonly zstdLevel?: number;
  /** gzip level (6). */
  readonly gzipLevel?: number;
  readonly zstd?: ZstdImplementation;
}

/**
 * Load the codecs. zstd is zstd-napi when it loads, else the WebAssembly build; the choice is in
 * `codecs.zstd.implementation`. Installs the native CRC-32C for the process when it loads. Throws FjordError('invalid_config') when `zstd: 'native'` is asked
 * for and the addon is not available.
 */
export async function loadCodecs(options: LoadCodecsOptions = {}): Promise<CodecSet> {
  installNativeCrc32c();
  const level = options.zstdLevel ?? 3;
  const want = options.zstd ?? 'auto';
  const native = want === 'wasm' ? null : loadZstdNative(level);
  if (want === 'native' && native === null) {
    throw new FjordError('invalid_config', 'native zstd (zstd-napi) is not available on this machine');
  }
  const zstd = native ?? (await loadZstdWasm(level));
  return { zstd, gzip: gzipCodec(options.gzipLevel ?? 6), snappy: snappyCodec(), none: noneCodec() };
}
