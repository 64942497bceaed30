/**
 * OTLP/HTTP logs as Loki's `/otlp/v1/logs` reads them: `Content-Encoding` gzip, zstd or lz4, then
 * `Content-Type` exactly `application/x-protobuf` or `application/json`, converted to a push with
 * Loki's default otlp_config; errors answered as a protobuf google.rpc.Status.
 */
import { FjordError } from '../../schemas/index.js';
import { decodeOtlpLogsJson } from './otlp-json.js';
import { decodeOtlpLogsProtobuf } from './otlp-protobuf.js';
import { DEFAULT_OTLP_CONFIG, DEFAULT_OTLP_RESOURCE_ATTRIBUTES_AS_INDEX_LABELS, otlpToPushRequest } from './otlp-to-push.js';
import type { PushRequest } from '../../schemas/record/index.js';
import { Lz4TooLarge, decodeLz4Frames } from '../../platform/index.js';
import { decodeContentEncoding, decompressedTooLarge } from './body.js';

/** Undo an OTLP body's content encoding (gzip, zstd or lz4 frames, as Loki). */
export function decodeOtlpEncoding(body: Uint8Array, encoding: string | undefined, maxDecompressed: number, zstd: (d: Uint8Array) => Uint8Array): Uint8Array {
  const e = encoding ?? '';
  if (e === 'lz4') {
    try {
      return decodeLz4Frames(body, maxDecompressed);
    } catch (err) {
      if (err instanceof Lz4TooLarge) throw decompressedTooLarge(maxDecompressed + 1, maxDecompressed);
      throw new FjordError('bad_request', `lz4: invalid compressed data: ${(err as Error).message}`, { cause: err });
    }
  }
  if (e !== '' && e !== 'gzip' && e !== 'zstd') {
    throw new FjordError('bad_request', `unsupported content encoding ${e}: only gzip, lz4 and zstd are supported`);
  }
  return decodeContentEncoding(body, e, maxDecompressed, zstd);
}

/** Decode an OTLP logs export request and convert it to a push (Loki's default OTLP rules). */
export function decodeOtlpPush(body: Uint8Array, contentType: string, discoverServiceName: readonly string[], nowNs: bigint): PushRequest {
  let req;
  if (contentType === 'application/x-protobuf') req = decodeOtlpLogsProtobuf(body);
  else if (contentType === 'application/json') req = decodeOtlpLogsJson(body);
  else throw new FjordError('bad_request', `content type: ${contentType} is not supported`);
  return otlpToPushRequest(req, {
    config: DEFAULT_OTLP_CONFIG,
    defaultIndexLabels: DEFAULT_OTLP_RESOURCE_ATTRIBUTES_AS_INDEX_LABELS,
    discoverServiceName,
    nowNs,
  });
}

/** A google.rpc.Status with only its message (field 2), as Loki's OTLP errors. */
export function encodeRpcStatus(message: string): Uint8Array {
  const text = Buffer.from(message, 'utf8');
  const len: number[] = [];
  let n = text.length;
  do {
    len.push((n & 0x7f) | (n > 0x7f ? 0x80 : 0));
    n >>>= 7;
  } while (n > 0);
  return Buffer.concat([Buffer.from([0x12, ...len]), text]);
}
