/**
 * A growable little-endian byte writer for Fjord's binary formats (chunks, index bundles, index
 * keys). Pure.
 */
import { putUvarint, putUvarintBig, zigzagEncode } from './varint.js';

const utf8 = new TextEncoder();

/** Appends fixed-width integers, varints and byte strings to a buffer that grows as needed. */
export class ByteWriter {
  private buf: Uint8Array;
  private view: DataView;
  /** Bytes written so far. */
  length = 0;

  constructor(initialBytes = 256) {
    this.buf = new Uint8Array(Math.max(16, initialBytes));
    this.view = new DataView(this.buf.buffer);
  }

  /** Make room for `n` more bytes. */
  ensure(n: number): void {
    const need = this.length + n;
    if (need <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < need) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  /** One byte. */
  u8(n: number): this {
    this.ensure(1);
    this.buf[this.length++] = n;
    return this;
  }

  /** Unsigned 32-bit little-endian. */
  u32(n: number): this {
    this.ensure(4);
    this.view.setUint32(this.length, n >>> 0, true);
    this.length += 4;
    return this;
  }

  /** Unsigned 32-bit big-endian (magic numbers, key parts that must sort). */
  u32be(n: number): this {
    this.ensure(4);
    this.view.setUint32(this.length, n >>> 0, false);
    this.length += 4;
    return this;
  }

  /** Unsigned 64-bit big-endian from a bigint in [0, 2^64). */
  u64be(n: bigint): this {
    this.ensure(8);
    this.view.setBigUint64(this.length, n, false);
    this.length += 8;
    return this;
  }

  /** A non-negative safe integer as a uvarint. */
  uvarint(n: number): this {
    this.ensure(10);
    this.length = putUvarint(this.buf, this.length, n);
    return this;
  }

  /** A bigint in [0, 2^64) as a uvarint. */
  uvarintBig(n: bigint): this {
    this.ensure(10);
    this.length = putUvarintBig(this.buf, this.length, n);
    return this;
  }

  /** A signed 64-bit bigint as a zigzag uvarint. */
  varintBig(n: bigint): this {
    return this.uvarintBig(zigzagEncode(n));
  }

  /** Raw bytes. */
  bytes(b: Uint8Array): this {
    this.ensure(b.length);
    this.buf.set(b, this.length);
    this.length += b.length;
    return this;
  }

  /** Length-prefixed bytes: uvarint length, then the bytes. */
  lengthPrefixed(b: Uint8Array): this {
    return this.uvarint(b.length).bytes(b);
  }

  /** A length-prefixed UTF-8 string. */
  string(s: string): this {
    return this.lengthPrefixed(utf8.encode(s));
  }

  /** Overwrite an unsigned 32-bit little-endian value at `pos` (already written). */
  patchU32(pos: number, n: number): void {
    this.view.setUint32(pos, n >>> 0, true);
  }

  /** A view of the bytes written so far (shares memory with the writer until it grows). */
  view8(): Uint8Array {
    return this.buf.subarray(0, this.length);
  }

  /** A copy of the bytes written so far, sized exactly. */
  finish(): Uint8Array {
    return this.buf.slice(0, this.length);
  }
}
