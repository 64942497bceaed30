/**
 * The records of the ruler's remote-write queue segments. Each record is one evaluation's
 * samples as an encoded WriteRequest: `u32 payload length, u32 CRC32C of what follows it,
 * u32 sample count, f64 newest sample time (ms), payload`, little-endian. A record cut short or
 * failing its checksum ends the readable part of a segment (a torn write at a crash). Pure.
 */
import { crc32c } from '../../../schemas/wire/index.js';

/** Bytes before a record's payload. */
export const RECORD_HEADER_BYTES = 20;

/** A record read back. */
export interface WalRecord {
  readonly payload: Uint8Array;
  readonly samples: number;
  readonly newestMs: number;
  /** Offset just past the record in its segment. */
  readonly end: number;
}

/** Frame one record. */
export function encodeWalRecord(payload: Uint8Array, samples: number, newestMs: number): Uint8Array {
  const out = new Uint8Array(RECORD_HEADER_BYTES + payload.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, payload.length, true);
  view.setUint32(8, samples, true);
  view.setFloat64(12, newestMs, true);
  out.set(payload, RECORD_HEADER_BYTES);
  view.setUint32(4, crc32c(out, 8), true);
  return out;
}

/** The record at `offset`, or null when none is complete and intact there. */
export function decodeWalRecord(buf: Uint8Array, offset: number): WalRecord | null {
  if (buf.length - offset < RECORD_HEADER_BYTES) return null;
  const view = new DataView(buf.buffer, buf.byteOffset + offset, RECORD_HEADER_BYTES);
  const len = view.getUint32(0, true);
  const end = offset + RECORD_HEADER_BYTES + len;
  if (end > buf.length) return null;
  if (crc32c(buf, offset + 8, end) !== view.getUint32(4, true)) return null;
  return {
    payload: buf.subarray(offset + RECORD_HEADER_BYTES, end),
    samples: view.getUint32(8, true),
    newestMs: view.getFloat64(12, true),
    end,
  };
}
