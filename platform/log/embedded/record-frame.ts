/**
 * Byte layout of a record in an embedded-log segment file (all integers big-endian):
 *
 *   u32 body length | u32 CRC-32C of body | body
 *   body = f64 offset | f64 timestamp ms | u16 header count
 *          | per header: u16 name length, name (UTF-8), u32 value length, value
 *          | i32 key length (-1: no key), key | u32 value length, value
 *
 * A frame whose length runs past the end of the file or whose CRC does not match is a torn or
 * corrupt tail: recovery cuts the file there. Pure.
 */
import { crc32c } from '../../../schemas/wire/index.js';

/** A record as stored in a segment. */
export interface StoredRecord {
  readonly offset: number;
  readonly timestampMs: number;
  readonly key: Uint8Array | null;
  readonly value: Uint8Array;
  readonly headers: Readonly<Record<string, Uint8Array>>;
}

/** Where one frame sits in a segment. */
export interface FramePosition {
  readonly offset: number;
  readonly timestampMs: number;
  /** Byte position of the frame in its segment. */
  readonly position: number;
  /** Frame size in bytes, prefix included. */
  readonly size: number;
}

const PREFIX = 8;

function bodySize(r: StoredRecord, headerNames: readonly Buffer[]): number {
  let n = 8 + 8 + 2 + 4 + (r.key?.length ?? 0) + 4 + r.value.length;
  let i = 0;
  for (const v of Object.values(r.headers)) n += 2 + (headerNames[i++] as Buffer).length + 4 + v.length;
  return n;
}

/** Encode records into consecutive frames in one buffer. */
export function encodeFrames(records: readonly StoredRecord[]): Buffer {
  const names = records.map((r) => Object.keys(r.headers).map((k) => Buffer.from(k, 'utf8')));
  const sizes = records.map((r, i) => bodySize(r, names[i] as Buffer[]));
  const total = sizes.reduce((a, b) => a + b + PREFIX, 0);
  const buf = Buffer.allocUnsafe(total);
  let pos = 0;
  records.forEach((r, i) => {
    const start = pos;
    const size = sizes[i] as number;
    buf.writeUInt32BE(size, pos);
    pos += PREFIX;
    buf.writeDoubleBE(r.offset, pos);
    buf.writeDoubleBE(r.timestampMs, pos + 8);
    const headerValues = Object.values(r.headers);
    buf.writeUInt16BE(headerValues.length, pos + 16);
    pos += 18;
    headerValues.forEach((v, h) => {
      const name = (names[i] as Buffer[])[h] as Buffer;
      buf.writeUInt16BE(name.length, pos);
      name.copy(buf, pos + 2);
      pos += 2 + name.length;
      buf.writeUInt32BE(v.length, pos);
      buf.set(v, pos + 4);
      pos += 4 + v.length;
    });
    if (r.key) {
      buf.writeInt32BE(r.key.length, pos);
      buf.set(r.key, pos + 4);
      pos += 4 + r.key.length;
    } else {
      buf.writeInt32BE(-1, pos);
      pos += 4;
    }
    buf.writeUInt32BE(r.value.length, pos);
    buf.set(r.value, pos + 4);
    pos += 4 + r.value.length;
    buf.writeUInt32BE(crc32c(buf, start + PREFIX, pos), start + 4);
  });
  return buf;
}

/** Result of scanning a buffer of frames. */
export interface FrameScan {
  readonly frames: FramePosition[];
  /** Bytes of whole, valid frames from the scan start. */
  readonly validBytes: number;
  /** True when the scan stopped at a frame with a bad CRC or an impossible length (not just an incomplete one). */
  readonly corrupt: boolean;
}

/**
 * Scan frames in `buf` starting at byte `from`, whose first byte is at `basePosition` in the file.
 * Stops at the end, at an incomplete frame, or at a corrupt one; `checkCrc` verifies each body.
 */
export function scanFrames(buf: Uint8Array, from = 0, basePosition = 0, checkCrc = true): FrameScan {
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const frames: FramePosition[] = [];
  let pos = from;
  while (pos + PREFIX <= buf.length) {
    const size = view.getUint32(pos);
    if (size < 26) return { frames, validBytes: pos - from, corrupt: true };
    const end = pos + PREFIX + size;
    if (end > buf.length) break;
    if (checkCrc && crc32c(buf, pos + PREFIX, end) !== view.getUint32(pos + 4)) {
      return { frames, validBytes: pos - from, corrupt: true };
    }
    frames.push({
      offset: view.getFloat64(pos + PREFIX),
      timestampMs: view.getFloat64(pos + PREFIX + 8),
      position: basePosition + pos,
      size: PREFIX + size,
    });
    pos = end;
  }
  return { frames, validBytes: pos - from, corrupt: false };
}

/** Decode the frame starting at byte `pos` of `buf` (already known to be whole and valid). */
export function decodeFrame(buf: Buffer, pos: number): StoredRecord {
  let p = pos + PREFIX;
  const offset = buf.readDoubleBE(p);
  const timestampMs = buf.readDoubleBE(p + 8);
  const headerCount = buf.readUInt16BE(p + 16);
  p += 18;
  const headers: Record<string, Uint8Array> = {};
  for (let h = 0; h < headerCount; h++) {
    const nameLen = buf.readUInt16BE(p);
    const name = buf.toString('utf8', p + 2, p + 2 + nameLen);
    p += 2 + nameLen;
    const valueLen = buf.readUInt32BE(p);
    headers[name] = buf.subarray(p + 4, p + 4 + valueLen);
    p += 4 + valueLen;
  }
  const keyLen = buf.readInt32BE(p);
  p += 4;
  const key = keyLen >= 0 ? buf.subarray(p, p + keyLen) : null;
  if (keyLen > 0) p += keyLen;
  const valueLen = buf.readUInt32BE(p);
  const value = buf.subarray(p + 4, p + 4 + valueLen);
  return { offset, timestampMs, key, value, headers };
}
