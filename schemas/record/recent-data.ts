/**
 * The body of an ingester's answer to a recent-data query (`GET /ingester/internal/chunks`):
 * chunks, each a complete chunk object in the chunk format (FORMATS.md §1, §8), framed as
 *
 *   u32 count | count × (u32 length | length bytes)      (big-endian)
 *
 * so the querier decodes ingester data with the same code as store chunks. Pure.
 */
import { FjordError } from '../errors.js';

/** Frame chunk objects into one body. */
export function encodeChunkList(chunks: readonly Uint8Array[]): Uint8Array {
  const total = 4 + chunks.reduce((n, c) => n + 4 + c.length, 0);
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  view.setUint32(0, chunks.length);
  let pos = 4;
  for (const c of chunks) {
    view.setUint32(pos, c.length);
    out.set(c, pos + 4);
    pos += 4 + c.length;
  }
  return out;
}

/** The chunk objects of a framed body (views, no copies). Throws FjordError('chunk_corrupt') on bad framing. */
export function decodeChunkList(body: Uint8Array): Uint8Array[] {
  const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
  if (body.length < 4) throw new FjordError('chunk_corrupt', 'chunk list: shorter than its count');
  const count = view.getUint32(0);
  const out: Uint8Array[] = [];
  let pos = 4;
  for (let i = 0; i < count; i++) {
    if (pos + 4 > body.length) throw new FjordError('chunk_corrupt', `chunk list: truncated at chunk ${i}`);
    const len = view.getUint32(pos);
    if (pos + 4 + len > body.length) throw new FjordError('chunk_corrupt', `chunk list: chunk ${i} runs past the end`);
    out.push(body.subarray(pos + 4, pos + 4 + len));
    pos += 4 + len;
  }
  if (pos !== body.length) throw new FjordError('chunk_corrupt', 'chunk list: trailing bytes');
  return out;
}
