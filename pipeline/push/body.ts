/**
 * Push bodies as Loki reads them: `Content-Encoding` gzip or deflate (raw DEFLATE, as Go's
 * compress/flate) undone with a bound on the decompressed size (a gzip bomb gets 413, not memory),
 * and raw snappy for protobuf bodies, its decoded length checked before decoding.
 */
import { constants as bufferConstants } from 'node:buffer';
import { gunzipSync, inflateRawSync } from 'node:zlib';
import snappy from 'snappy';
import { FjordError } from '../../schemas/index.js';
import { SNAPPY_OUTPUT } from '../../platform/index.js';

const { uncompressSync } = snappy;

/** Loki's 413 for a body past `max_decompressed_size`. */
export function decompressedTooLarge(size: number, max: number): FjordError {
  return new FjordError('request_too_large', `request body too large: decompressed message size too large than max (${size} vs ${max})`);
}

/** Loki's 413 for a body past `max_recv_msg_size`. */
export function receivedTooLarge(size: number, max: number): FjordError {
  return new FjordError('request_too_large', `request body too large: message size too large than max (${size} vs ${max})`);
}

function inflate(kind: string, body: Uint8Array, maxBytes: number, run: (b: Uint8Array, o: { maxOutputLength: number }) => Buffer): Buffer {
  try {
    // Node caps one buffer at buffer.constants.MAX_LENGTH; a larger limit is bounded by it anyway.
    return run(body, { maxOutputLength: Math.min(maxBytes + 1, bufferConstants.MAX_LENGTH) });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw decompressedTooLarge(maxBytes + 1, maxBytes);
    throw new FjordError('bad_request', `${kind}: invalid compressed data: ${(err as Error).message}`, { cause: err });
  }
}

/**
 * Undo `Content-Encoding`: none, `snappy` (left for the protobuf decoder), `gzip`, `deflate`, and
 * `zstd` when a decompressor is given (OTLP allows it).
 */
export function decodeContentEncoding(
  body: Uint8Array,
  encoding: string | undefined,
  maxDecompressed: number,
  zstd?: (data: Uint8Array) => Uint8Array,
): Uint8Array {
  switch (encoding ?? '') {
    case '':
    case 'snappy':
      return body;
    case 'gzip':
      return inflate('gzip', body, maxDecompressed, gunzipSync);
    case 'deflate':
      return inflate('flate', body, maxDecompressed, inflateRawSync);
    case 'zstd':
      if (zstd) {
        let out: Uint8Array;
        try {
          out = zstd(body);
        } catch (err) {
          throw new FjordError('bad_request', `zstd: invalid compressed data: ${(err as Error).message}`, { cause: err });
        }
        if (out.length > maxDecompressed) throw decompressedTooLarge(out.length, maxDecompressed);
        return out;
      }
      break;
  }
  throw new FjordError('bad_request', `Content-Encoding ${JSON.stringify(encoding)} not supported`);
}

function snappyDecodedLength(body: Uint8Array): number {
  let n = 0;
  let shift = 0;
  for (let i = 0; i < 5 && i < body.length; i++) {
    const b = body[i] as number;
    n += (b & 0x7f) * 2 ** shift;
    if ((b & 0x80) === 0) return n;
    shift += 7;
  }
  throw new FjordError('bad_request', 'snappy: corrupt input');
}

/** Raw (block) snappy decompression with Loki's size check first. */
export function decodeRawSnappy(body: Uint8Array, maxDecompressed: number): Uint8Array {
  const size = snappyDecodedLength(body);
  if (maxDecompressed > 0 && size > maxDecompressed) throw decompressedTooLarge(size, maxDecompressed);
  try {
    return uncompressSync(Buffer.from(body.buffer, body.byteOffset, body.byteLength), { asBuffer: true, ...SNAPPY_OUTPUT }) as Buffer;
  } catch (err) {
    throw new FjordError('bad_request', 'snappy: corrupt input', { cause: err });
  }
}
