/**
 * A worker thread of the DecompressPool: decompresses blocks with the process's codecs and hands
 * the payloads back by transfer (no copy). Messages: { id, encoding, blocks: Uint8Array[] } in,
 * { id, payloads: Uint8Array[] } or { id, error } out.
 */
import { parentPort } from 'node:worker_threads';
import { loadCodecs } from '../../platform/codecs/index.js';
import type { ChunkEncoding } from '../../schemas/index.js';

const codecs = await loadCodecs();

parentPort?.on('message', (msg: { id: number; encoding: ChunkEncoding; blocks: Uint8Array[]; sizes: number[] }) => {
  try {
    const codec = codecs[msg.encoding];
    const payloads = msg.blocks.map((b, i) => {
      const out = codec.decompress(b, msg.sizes[i]);
      return out.byteOffset === 0 && out.byteLength === out.buffer.byteLength ? out : out.slice();
    });
    parentPort?.postMessage({ id: msg.id, payloads }, payloads.map((p) => p.buffer as ArrayBuffer));
  } catch (err) {
    parentPort?.postMessage({ id: msg.id, error: (err as Error).message });
  }
});
parentPort?.postMessage({ ready: true });
