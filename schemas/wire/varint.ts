/**
 * Varints as Go's encoding/binary writes them (LEB128: 7 bits a byte, low group first, high bit
 * set on every byte but the last) and zigzag for signed values. Pure.
 *
 * Numbers are used where values fit in 2^53 (lengths, counts, offsets, small deltas); bigints
 * where a full 64-bit value may occur (nanosecond timestamps).
 */

/** Bytes a uvarint of `n` (a non-negative safe integer) takes. */
export function uvarintLength(n: number): number {
  let len = 1;
  while (n >= 0x80) {
    n = Math.floor(n / 128);
    len++;
  }
  return len;
}

/** Write `n` (a non-negative safe integer) as a uvarint at `pos`; returns the position after it. */
export function putUvarint(buf: Uint8Array, pos: number, n: number): number {
  while (n >= 0x80) {
    buf[pos++] = (n & 0x7f) | 0x80;
    n = Math.floor(n / 128);
  }
  buf[pos++] = n;
  return pos;
}

/** Write `n` (0 ≤ n < 2^64) as a uvarint at `pos`; returns the position after it. */
export function putUvarintBig(buf: Uint8Array, pos: number, n: bigint): number {
  if (n <= 0x1fffffffffffffn) return putUvarint(buf, pos, Number(n));
  while (n >= 0x80n) {
    buf[pos++] = Number(n & 0x7fn) | 0x80;
    n >>= 7n;
  }
  buf[pos++] = Number(n);
  return pos;
}

/** Bytes a uvarint of `n` (0 ≤ n < 2^64) takes. */
export function uvarintLengthBig(n: bigint): number {
  if (n <= 0x1fffffffffffffn) return uvarintLength(Number(n));
  let len = 1;
  while (n >= 0x80n) {
    n >>= 7n;
    len++;
  }
  return len;
}

/** Zigzag of a signed 64-bit value: 0, -1, 1, -2 … map to 0, 1, 2, 3 …; the result is in [0, 2^64). */
export function zigzagEncode(n: bigint): bigint {
  return BigInt.asUintN(64, (n << 1n) ^ (n >> 63n));
}

/** Inverse of zigzagEncode: a signed 64-bit value. */
export function zigzagDecode(n: bigint): bigint {
  return BigInt.asIntN(64, (n >> 1n) ^ -(n & 1n));
}
