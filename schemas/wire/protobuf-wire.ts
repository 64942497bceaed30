/**
 * A small protobuf wire-format reader and writer: varints (64-bit read as two 32-bit halves, or as
 * a bigint), length-delimited fields as zero-copy subarrays, fixed32/fixed64, and skipping of
 * unknown fields of every wire type (groups included). Pure.
 *
 * Every malformed input is a FjordError('bad_request') whose message is the text Go's protobuf
 * runtimes give (gogo-generated code in Loki, pdata for OTLP): `unexpected EOF`,
 * `proto: integer overflow`, `proto: negative length found during unmarshaling`,
 * `proto: illegal wireType %d`, `proto: unexpected end of group`.
 */
import { FjordError } from '../errors.js';

/** Wire type of varint fields (int32, int64, uint32, uint64, bool, enum). */
export const WIRE_VARINT = 0;
/** Wire type of fixed64, sfixed64 and double fields. */
export const WIRE_I64 = 1;
/** Wire type of length-delimited fields (string, bytes, messages, packed repeated). */
export const WIRE_LEN = 2;
/** Wire type that opens a (deprecated) group. */
export const WIRE_START_GROUP = 3;
/** Wire type that closes a (deprecated) group. */
export const WIRE_END_GROUP = 4;
/** Wire type of fixed32, sfixed32 and float fields. */
export const WIRE_I32 = 5;

const TWO_32 = 4294967296;

/** Loki's and pdata's text for input that ends inside a value (Go's io.ErrUnexpectedEOF). */
export const UNEXPECTED_EOF = 'unexpected EOF';

/** A FjordError('bad_request') with `message`. */
export function malformed(message: string): FjordError {
  return new FjordError('bad_request', message);
}

/**
 * A cursor over protobuf bytes between `pos` and `end`. After `readVarint`, `hi` holds the upper
 * 32 bits of the value just read and the return value the lower 32 bits (both unsigned).
 */
export class ProtoReader {
  /** Next byte to read. */
  pos: number;
  /** Upper 32 bits of the last varint read, unsigned. */
  hi = 0;

  constructor(
    readonly buf: Uint8Array,
    start = 0,
    /** One past the last byte of the message being read; decoders narrow it for nested messages. */
    public end = buf.length,
  ) {
    this.pos = start;
  }

  /** True while bytes remain. */
  hasMore(): boolean {
    return this.pos < this.end;
  }

  /**
   * One varint, at most 10 bytes as Go reads it (bits past 64 are dropped); returns the lower 32
   * bits unsigned and leaves the upper 32 bits in `hi`. Throws on truncation or an 11th byte.
   */
  readVarint(): number {
    const buf = this.buf;
    const end = this.end;
    let pos = this.pos;
    if (pos < end) {
      const b0 = buf[pos] as number;
      if (b0 < 0x80) {
        this.pos = pos + 1;
        this.hi = 0;
        return b0;
      }
      if (pos + 1 < end) {
        const b1 = buf[pos + 1] as number;
        if (b1 < 0x80) {
          this.pos = pos + 2;
          this.hi = 0;
          return (b0 & 0x7f) | (b1 << 7);
        }
      }
    }
    let lo = 0;
    let hi = 0;
    for (let shift = 0; ; shift += 7) {
      if (shift >= 64) throw malformed('proto: integer overflow');
      if (pos >= end) throw malformed(UNEXPECTED_EOF);
      const b = buf[pos++] as number;
      const bits = b & 0x7f;
      if (shift < 28) lo |= bits << shift;
      else if (shift === 28) {
        lo |= (bits & 0x0f) << 28;
        hi |= bits >>> 4;
      } else hi |= bits << (shift - 32);
      if (b < 0x80) break;
    }
    this.pos = pos;
    this.hi = hi >>> 0;
    return lo >>> 0;
  }

  /** A varint as an unsigned 64-bit bigint. */
  readVarintBigUint(): bigint {
    const lo = this.readVarint();
    return (BigInt(this.hi) << 32n) | BigInt(lo);
  }

  /** A varint as a signed 64-bit bigint (int64). */
  readVarintBigInt(): bigint {
    return BigInt.asIntN(64, this.readVarintBigUint());
  }

  /**
   * A varint as a signed int64 in a double: exact when |value| < 2^53, which every range check
   * after it relies on (callers reject larger values before trusting the number).
   */
  readVarintInt64Number(): number {
    const lo = this.readVarint();
    const hi = this.hi;
    return (hi | 0) * TWO_32 + lo;
  }

  /** A varint as a uint32 (the lower 32 bits, as Go's uint32 conversion). */
  readVarintUint32(): number {
    return this.readVarint();
  }

  /** A varint as an int32 (the lower 32 bits, signed, as Go's int32 conversion). */
  readVarintInt32(): number {
    return this.readVarint() | 0;
  }

  /**
   * The length prefix of a length-delimited field, checked against the bytes left: a length
   * with bit 63 set is `proto: negative length …`, one past the end is `unexpected EOF`.
   */
  readLength(): number {
    const lo = this.readVarint();
    const hi = this.hi;
    // Go converts the length to int64 and adds the position: a sign bit or an overflow is "negative".
    if (hi >= 0x80000000 || (hi === 0x7fffffff && lo + this.pos >= TWO_32)) throw malformed('proto: negative length found during unmarshaling');
    if (hi !== 0 || lo > this.end - this.pos) throw malformed(UNEXPECTED_EOF);
    return lo;
  }

  /** A length-delimited field's bytes, as a subarray of the input (no copy). */
  readBytes(): Uint8Array {
    const len = this.readLength();
    const start = this.pos;
    this.pos = start + len;
    return this.buf.subarray(start, start + len);
  }

  /** A fixed64 as an unsigned bigint. */
  readFixed64(): bigint {
    const pos = this.pos;
    if (this.end - pos < 8) throw malformed(UNEXPECTED_EOF);
    this.pos = pos + 8;
    const buf = this.buf;
    const lo = ((buf[pos] as number) | ((buf[pos + 1] as number) << 8) | ((buf[pos + 2] as number) << 16) | ((buf[pos + 3] as number) << 24)) >>> 0;
    const hi = ((buf[pos + 4] as number) | ((buf[pos + 5] as number) << 8) | ((buf[pos + 6] as number) << 16) | ((buf[pos + 7] as number) << 24)) >>> 0;
    if (hi === 0) return BigInt(lo);
    return (BigInt(hi) << 32n) | BigInt(lo);
  }

  /** A fixed64 read as an IEEE 754 double. */
  readDouble(): number {
    const pos = this.pos;
    if (this.end - pos < 8) throw malformed(UNEXPECTED_EOF);
    this.pos = pos + 8;
    return new DataView(this.buf.buffer, this.buf.byteOffset + pos, 8).getFloat64(0, true);
  }

  /** A fixed32, unsigned. */
  readFixed32(): number {
    const pos = this.pos;
    if (this.end - pos < 4) throw malformed(UNEXPECTED_EOF);
    this.pos = pos + 4;
    const buf = this.buf;
    return ((buf[pos] as number) | ((buf[pos + 1] as number) << 8) | ((buf[pos + 2] as number) << 16) | ((buf[pos + 3] as number) << 24)) >>> 0;
  }

  /**
   * Skip the value of a field of `wireType` whose tag was just read, groups included (as Go's
   * skip functions do: a group runs to its matching end-group tag).
   */
  skip(wireType: number): void {
    let depth = 0;
    for (;;) {
      switch (wireType) {
        case WIRE_VARINT:
          this.readVarint();
          break;
        case WIRE_I64:
          if (this.end - this.pos < 8) throw malformed(UNEXPECTED_EOF);
          this.pos += 8;
          break;
        case WIRE_LEN: {
          // Read the length before moving: `pos += readLength()` would add to the stale position.
          const len = this.readLength();
          this.pos += len;
          break;
        }
        case WIRE_START_GROUP:
          depth++;
          break;
        case WIRE_END_GROUP:
          if (depth === 0) throw malformed('proto: unexpected end of group');
          depth--;
          break;
        case WIRE_I32:
          if (this.end - this.pos < 4) throw malformed(UNEXPECTED_EOF);
          this.pos += 4;
          break;
        default:
          throw malformed(`proto: illegal wireType ${wireType}`);
      }
      if (depth === 0) return;
      if (this.pos >= this.end) throw malformed(UNEXPECTED_EOF);
      wireType = this.readVarint() & 7;
    }
  }
}

/** The field number of a tag as Go's `int32(wire >> 3)` computes it (may be ≤ 0 for bad tags). */
export function tagFieldNumber(lo: number, hi: number): number {
  return ((lo >>> 3) | (hi << 29)) | 0;
}

/** The tag varint as Go's `%d` of a uint64 prints it (for `illegal tag` messages). */
export function tagText(lo: number, hi: number): string {
  return hi === 0 ? String(lo) : ((BigInt(hi) << 32n) | BigInt(lo)).toString();
}

/** Bytes a value takes as a varint (1–10), for a non-negative integer below 2^53. */
export function varintSize(value: number): number {
  if (value < 0x80) return 1;
  if (value < 0x4000) return 2;
  if (value < 0x200000) return 3;
  if (value < 0x10000000) return 4;
  let n = 5;
  let v = Math.floor(value / 0x800000000);
  while (v > 0) {
    n++;
    v = Math.floor(v / 128);
  }
  return n;
}

/** Bytes a signed int64 takes as a varint: 10 for any negative value. */
export function int64VarintSize(value: number): number {
  return value < 0 ? 10 : varintSize(value);
}

/**
 * A growable protobuf writer. Sizes are computed by the caller where it matters (nested messages
 * are written as `tag, length, body`, the length known up front), so nothing is encoded twice.
 */
export class ProtoWriter {
  /** Written up to `pos`; the rest is not initialised until `finish` zeroes it. */
  private buf: Uint8Array;
  /** Bytes written so far. */
  pos = 0;

  constructor(capacity = 256) {
    this.buf = uninitialized(Math.max(16, capacity));
  }

  private ensure(extra: number): void {
    const need = this.pos + extra;
    if (need <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < need) size *= 2;
    const next = uninitialized(size);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
  }

  /** A varint of a non-negative integer below 2^53. */
  varint(value: number): void {
    this.ensure(10);
    const buf = this.buf;
    let pos = this.pos;
    while (value >= 0x80) {
      buf[pos++] = (value % 128) | 0x80;
      value = Math.floor(value / 128);
    }
    buf[pos++] = value;
    this.pos = pos;
  }

  /** A varint of a signed int64 given as a double (exact below 2^53): negatives take 10 bytes. */
  int64(value: number): void {
    if (value >= 0) {
      this.varint(value);
      return;
    }
    this.bigVarint(BigInt.asUintN(64, BigInt(value)));
  }

  /** A varint of an unsigned 64-bit bigint. */
  bigVarint(value: bigint): void {
    this.ensure(10);
    while (value >= 0x80n) {
      this.buf[this.pos++] = Number(value & 0x7fn) | 0x80;
      value >>= 7n;
    }
    this.buf[this.pos++] = Number(value);
  }

  /** A field tag. */
  tag(field: number, wireType: number): void {
    this.varint(field * 8 + wireType);
  }

  /** Raw bytes. */
  raw(bytes: Uint8Array): void {
    this.ensure(bytes.length);
    this.buf.set(bytes, this.pos);
    this.pos += bytes.length;
  }

  /** A string as UTF-8 bytes, preceded by its byte length; `byteLength` must be its UTF-8 length. */
  stringWithLength(s: string, byteLength: number): void {
    this.varint(byteLength);
    this.ensure(byteLength);
    if (byteLength === s.length && byteLength <= 32) {
      // Short ASCII (label names and values): a loop beats encodeInto's call overhead.
      const buf = this.buf;
      for (let i = 0; i < byteLength; i++) buf[this.pos + i] = s.charCodeAt(i);
      this.pos += byteLength;
      return;
    }
    const written = ENCODER.encodeInto(s, this.buf.subarray(this.pos, this.pos + byteLength)).written;
    this.pos += written;
  }

  /** A length-delimited bytes field (`tag, length, bytes`). */
  bytesField(field: number, bytes: Uint8Array): void {
    this.tag(field, WIRE_LEN);
    this.varint(bytes.length);
    this.raw(bytes);
  }

  /** A length-delimited string field. */
  stringField(field: number, s: string): void {
    this.tag(field, WIRE_LEN);
    this.stringWithLength(s, utf8Length(s));
  }

  /** A fixed64 of an unsigned bigint. */
  fixed64(value: bigint): void {
    const lo = Number(value & 0xffffffffn);
    const hi = Number((value >> 32n) & 0xffffffffn);
    this.fixed32(lo);
    this.fixed32(hi);
  }

  /** A fixed32 of an unsigned 32-bit number. */
  fixed32(value: number): void {
    this.ensure(4);
    const buf = this.buf;
    buf[this.pos++] = value & 0xff;
    buf[this.pos++] = (value >>> 8) & 0xff;
    buf[this.pos++] = (value >>> 16) & 0xff;
    buf[this.pos++] = (value >>> 24) & 0xff;
  }

  /** A little-endian IEEE 754 double. */
  double(value: number): void {
    this.ensure(8);
    new DataView(this.buf.buffer, this.buf.byteOffset + this.pos, 8).setFloat64(0, value, true);
    this.pos += 8;
  }

  /** The bytes written: a view of the writer's buffer (no copy); the writer must not be used after. */
  finish(): Uint8Array {
    // Callers size the writer exactly on hot paths; any slack is zeroed so no stale memory is
    // reachable through the result's buffer.
    if (this.pos < this.buf.length) this.buf.fill(0, this.pos);
    return this.buf.subarray(0, this.pos);
  }
}

/**
 * A Uint8Array of `size` bytes over memory that is not zero-filled (records are written whole, so
 * zeroing them first is wasted work). A plain Uint8Array view, not a Buffer, so results compare
 * and print as the other codecs' do.
 */
function uninitialized(size: number): Uint8Array {
  const b = Buffer.allocUnsafeSlow(size);
  return new Uint8Array(b.buffer, b.byteOffset, size);
}

const ENCODER = new TextEncoder();

/** The UTF-8 byte length of a JavaScript string (lone surrogates count as U+FFFD, 3 bytes). */
export function utf8Length(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) n += 1;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n += 2;
        i++;
        continue;
      }
      n += 2;
    } else n += 2;
  }
  return n;
}
