/**
 * A bounds-checked little-endian byte reader for Fjord's binary formats. Every read past the end
 * or of a malformed value throws FjordError with the reader's error code and a message naming the
 * part being read, never a RangeError. Pure.
 */
import { FjordError } from '../errors.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The error codes a reader raises for bad bytes. */
export type CorruptCode = 'chunk_corrupt' | 'index_corrupt';

/** Reads `bytes[pos, end)` front to back. */
export class ByteReader {
  private readonly view: DataView;
  /** The next byte to read. */
  pos: number;

  constructor(
    readonly bytes: Uint8Array,
    /** What is being read, for error messages (`chunk header`, `block table`). */
    readonly what: string,
    readonly code: CorruptCode,
    start = 0,
    readonly end = bytes.length,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.pos = start;
  }

  /** A FjordError with this reader's code: `<what>: <why>`. */
  fail(why: string): FjordError {
    return new FjordError(this.code, `${this.what}: ${why}`);
  }

  /** Bytes left before `end`. */
  get remaining(): number {
    return this.end - this.pos;
  }

  private need(n: number, field: string): void {
    if (n < 0 || this.pos + n > this.end) throw this.fail(`truncated reading ${field}`);
  }

  /** One byte. */
  u8(field: string): number {
    this.need(1, field);
    return this.bytes[this.pos++] as number;
  }

  /** Unsigned 32-bit little-endian. */
  u32(field: string): number {
    this.need(4, field);
    const n = this.view.getUint32(this.pos, true);
    this.pos += 4;
    return n;
  }

  /** Unsigned 32-bit big-endian. */
  u32be(field: string): number {
    this.need(4, field);
    const n = this.view.getUint32(this.pos, false);
    this.pos += 4;
    return n;
  }

  /** Unsigned 64-bit big-endian as a bigint. */
  u64be(field: string): bigint {
    this.need(8, field);
    const n = this.view.getBigUint64(this.pos, false);
    this.pos += 8;
    return n;
  }

  /** A uvarint that must be a safe integer (below 2^53). */
  uvarint(field: string): number {
    let n = 0;
    let mul = 1;
    for (let i = 0; i < 8; i++) {
      if (this.pos >= this.end) throw this.fail(`truncated reading ${field}`);
      const b = this.bytes[this.pos++] as number;
      n += (b & 0x7f) * mul;
      if (b < 0x80) {
        if (n > Number.MAX_SAFE_INTEGER) break;
        return n;
      }
      mul *= 128;
    }
    throw this.fail(`${field} is too large`);
  }

  /** A uvarint of up to 64 bits as a bigint. */
  uvarintBig(field: string): bigint {
    let n = 0n;
    let shift = 0n;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) throw this.fail(`truncated reading ${field}`);
      const b = this.bytes[this.pos++] as number;
      n |= BigInt(b & 0x7f) << shift;
      if (b < 0x80) {
        if (n >= 1n << 64n) throw this.fail(`${field} overflows 64 bits`);
        return n;
      }
      shift += 7n;
    }
    throw this.fail(`${field} overflows 64 bits`);
  }

  /** A zigzag uvarint as a signed 64-bit bigint. */
  varintBig(field: string): bigint {
    const z = this.uvarintBig(field);
    return BigInt.asIntN(64, (z >> 1n) ^ -(z & 1n));
  }

  /** `n` raw bytes, as a view (no copy). */
  bytesView(n: number, field: string): Uint8Array {
    this.need(n, field);
    const out = this.bytes.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  /** Length-prefixed bytes, as a view. */
  lengthPrefixed(field: string): Uint8Array {
    return this.bytesView(this.uvarint(`${field} length`), field);
  }

  /** A length-prefixed UTF-8 string; invalid UTF-8 is corruption. */
  string(field: string): string {
    const b = this.lengthPrefixed(field);
    try {
      return utf8.decode(b);
    } catch {
      throw this.fail(`${field} is not valid UTF-8`);
    }
  }

  /** Throws unless every byte up to `end` was read. */
  expectEnd(): void {
    if (this.pos !== this.end) throw this.fail(`${this.end - this.pos} unexpected trailing bytes`);
  }
}
