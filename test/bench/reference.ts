/** Same-run reference rates that every figure is printed beside. */
import { loadZstdWasm } from '../../platform/codecs/zstd-wasm.js';
import { mbPerSecond, rate, timeIt, type Rate } from './harness.js';

/** Raw zstd (level 3, the WebAssembly build) compression of `data`, in MB/s. */
export async function zstdCompressReference(data: Uint8Array): Promise<Rate> {
  const zstd = await loadZstdWasm(3);
  const t = await timeIt(() => zstd.compress(data), 1000);
  return rate('raw zstd compress (wasm) of the same bytes', mbPerSecond(t, data.length), 'MB/s');
}
