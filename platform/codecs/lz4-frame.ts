/**
 * LZ4 frames (the LZ4 Frame Format 1.6.x, what `lz4` and Go's pierrec/lz4 write), as OTLP pushes
 * with `Content-Encoding: lz4` carry them. Decoding only: concatenated frames and skippable
 * frames, independent and linked blocks, uncompressed blocks, and the block and content xxHash32
 * checksums checked when the frame has them. The output is bounded: past `maxOutput` bytes the
 * decoder stops with `Lz4TooLarge`. Pure.
 */

const FRAME_MAGIC = 0x184d2204;
const SKIPPABLE_MASK = 0xfffffff0;
const SKIPPABLE_MAGIC = 0x184d2a50;
/** Block maximum sizes by the BD byte's block-size id (4..7). */
const BLOCK_MAX = [0, 0, 0, 0, 64 << 10, 256 << 10, 1 << 20, 4 << 20];

/** The frame decodes to more than the bound. */
export class Lz4TooLarge extends Error {
  constructor(readonly size: number) {
    super(`decoded size past ${size - 1} bytes`);
  }
}

const P1 = 0x9e3779b1;
const P2 = 0x85ebca77;
const P3 = 0xc2b2ae3d;
const P4 = 0x27d4eb2f;
const P5 = 0x165667b1;

function rotl(x: number, r: number): number {
  return ((x << r) | (x >>> (32 - r))) >>> 0;
}

function round(acc: number, lane: number): number {
  return Math.imul(rotl((acc + Math.imul(lane, P2)) >>> 0, 13), P1) >>> 0;
}

function u32(b: Uint8Array, i: number): number {
  return ((b[i] as number) | ((b[i + 1] as number) << 8) | ((b[i + 2] as number) << 16) | ((b[i + 3] as number) << 24)) >>> 0;
}

/** xxHash32 of `data[start, end)` with seed 0 (the frame format's checksum). */
export function xxh32(data: Uint8Array, start = 0, end = data.length): number {
  let i = start;
  let h: number;
  if (end - start >= 16) {
    let v1 = (P1 + P2) >>> 0;
    let v2 = P2;
    let v3 = 0;
    let v4 = (0 - P1) >>> 0;
    for (; i + 16 <= end; i += 16) {
      v1 = round(v1, u32(data, i));
      v2 = round(v2, u32(data, i + 4));
      v3 = round(v3, u32(data, i + 8));
      v4 = round(v4, u32(data, i + 12));
    }
    h = (rotl(v1, 1) + rotl(v2, 7) + rotl(v3, 12) + rotl(v4, 18)) >>> 0;
  } else {
    h = P5;
  }
  h = (h + (end - start)) >>> 0;
  for (; i + 4 <= end; i += 4) h = Math.imul(rotl((h + Math.imul(u32(data, i), P3)) >>> 0, 17), P4) >>> 0;
  for (; i < end; i++) h = Math.imul(rotl((h + Math.imul(data[i] as number, P5)) >>> 0, 11), P1) >>> 0;
  h = Math.imul(h ^ (h >>> 15), P2) >>> 0;
  h = Math.imul(h ^ (h >>> 13), P3) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

/** A growable output with a hard bound. */
class Output {
  buf: Uint8Array;
  len = 0;

  constructor(
    initial: number,
    private readonly max: number,
  ) {
    this.buf = new Uint8Array(Math.max(64, Math.min(initial, max + 1)));
  }

  reserve(n: number): void {
    const need = this.len + n;
    if (need > this.max) throw new Lz4TooLarge(need);
    if (need <= this.buf.length) return;
    const next = new Uint8Array(Math.min(Math.max(need, this.buf.length * 2), this.max + 1));
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }
}

function fail(why: string): never {
  throw new Error(why);
}

/** Decode one compressed block `src[start, end)` onto `out` (earlier output is the match window). */
function decodeBlock(src: Uint8Array, start: number, end: number, out: Output, windowStart: number): void {
  let i = start;
  while (i < end) {
    const token = src[i++] as number;
    let lit = token >>> 4;
    if (lit === 15) {
      let b: number;
      do {
        if (i >= end) fail('literal length past the block');
        b = src[i++] as number;
        lit += b;
      } while (b === 255);
    }
    if (i + lit > end) fail('literals past the block');
    out.reserve(lit);
    out.buf.set(src.subarray(i, i + lit), out.len);
    out.len += lit;
    i += lit;
    if (i === end) return;
    if (i + 2 > end) fail('match offset past the block');
    const offset = (src[i] as number) | ((src[i + 1] as number) << 8);
    i += 2;
    if (offset === 0 || offset > out.len - windowStart) fail('match offset out of range');
    let len = (token & 15) + 4;
    if ((token & 15) === 15) {
      let b: number;
      do {
        if (i >= end) fail('match length past the block');
        b = src[i++] as number;
        len += b;
      } while (b === 255);
    }
    out.reserve(len);
    const buf = out.buf;
    let from = out.len - offset;
    if (offset >= len) {
      buf.copyWithin(out.len, from, from + len);
      out.len += len;
    } else {
      for (let k = 0; k < len; k++) buf[out.len++] = buf[from++] as number;
    }
  }
  fail('block ends without literals');
}

/** Decode every frame of `src`; throws `Lz4TooLarge` past `maxOutput` bytes, `Error` on corrupt input. */
export function decodeLz4Frames(src: Uint8Array, maxOutput: number): Uint8Array {
  const out = new Output(src.length * 4, maxOutput);
  let i = 0;
  let frames = 0;
  while (i < src.length) {
    if (i + 4 > src.length) fail('truncated frame');
    const magic = u32(src, i);
    if ((magic & SKIPPABLE_MASK) >>> 0 === SKIPPABLE_MAGIC) {
      if (i + 8 > src.length) fail('truncated skippable frame');
      i += 8 + u32(src, i + 4);
      continue;
    }
    if (magic !== FRAME_MAGIC) fail(frames === 0 ? 'not an lz4 frame' : 'garbage after the last frame');
    i = decodeFrame(src, i + 4, out);
    frames++;
  }
  if (frames === 0) fail('no lz4 frame');
  return out.buf.subarray(0, out.len);
}

function decodeFrame(src: Uint8Array, at: number, out: Output): number {
  let i = at;
  if (i + 3 > src.length) fail('truncated frame header');
  const flg = src[i] as number;
  const bd = src[i + 1] as number;
  if (flg >>> 6 !== 1) fail('unsupported frame version');
  const independent = (flg & 0x20) !== 0;
  const blockChecksum = (flg & 0x10) !== 0;
  const hasSize = (flg & 0x08) !== 0;
  const contentChecksum = (flg & 0x04) !== 0;
  const hasDict = (flg & 0x01) !== 0;
  const blockMax = BLOCK_MAX[(bd >>> 4) & 7] ?? 0;
  if (blockMax === 0) fail('invalid block maximum size');
  const headerEnd = i + 2 + (hasSize ? 8 : 0) + (hasDict ? 4 : 0);
  if (headerEnd + 1 > src.length) fail('truncated frame header');
  if (hasDict) fail('frames with a dictionary are not supported');
  if (((xxh32(src, i, headerEnd) >>> 8) & 0xff) !== src[headerEnd]) fail('frame header checksum mismatch');
  i = headerEnd + 1;
  const frameStart = out.len;
  for (;;) {
    if (i + 4 > src.length) fail('truncated block');
    const word = u32(src, i);
    i += 4;
    if (word === 0) break;
    const size = word & 0x7fffffff;
    if (size > blockMax || i + size + (blockChecksum ? 4 : 0) > src.length) fail('block past the frame');
    if (blockChecksum && xxh32(src, i, i + size) !== u32(src, i + size)) fail('block checksum mismatch');
    if ((word & 0x80000000) !== 0) {
      out.reserve(size);
      out.buf.set(src.subarray(i, i + size), out.len);
      out.len += size;
    } else {
      decodeBlock(src, i, i + size, out, independent ? out.len : frameStart);
    }
    i += size + (blockChecksum ? 4 : 0);
  }
  if (contentChecksum) {
    if (i + 4 > src.length) fail('truncated content checksum');
    if (xxh32(out.buf, frameStart, out.len) !== u32(src, i)) fail('content checksum mismatch');
    i += 4;
  }
  return i;
}
