/**
 * CRC-32C (Castagnoli), as used by Kafka and Loki's chunk format. Pure: slicing-by-8 in
 * JavaScript, or, once the platform has installed one with `useNativeCrc32c`, a native
 * implementation for inputs long enough to repay the call (the results are the same bits).
 */

/** A native CRC-32C of all of `bytes`, continuing from `crc` (0 for a fresh checksum). */
export type NativeCrc32c = (bytes: Uint8Array, crc: number) => number;

/** Below this many bytes the JavaScript loop beats a call into native code. */
const NATIVE_MIN_BYTES = 128;
let native: NativeCrc32c | null = null;

/**
 * Use `fn` for CRC-32C of long inputs from now on (null: JavaScript only). A process-wide
 * accelerator, like a CPU feature: it changes speed, never a result.
 */
export function useNativeCrc32c(fn: NativeCrc32c | null): void {
  native = fn;
}

/** Which implementation long inputs use: 'native' or 'javascript'. */
export function crc32cImplementation(): 'native' | 'javascript' {
  return native === null ? 'javascript' : 'native';
}

const POLY = 0x82f63b78;
const TABLES: Uint32Array[] = (() => {
  const t0 = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ POLY : c >>> 1;
    t0[i] = c >>> 0;
  }
  const tables = [t0];
  for (let t = 1; t < 8; t++) {
    const prev = tables[t - 1] as Uint32Array;
    const cur = new Uint32Array(256);
    for (let i = 0; i < 256; i++) cur[i] = ((prev[i] as number) >>> 8) ^ (t0[(prev[i] as number) & 0xff] as number);
    tables.push(cur);
  }
  return tables;
})();
const [T0, T1, T2, T3, T4, T5, T6, T7] = TABLES as [Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array];

/** CRC-32C of `bytes[start, end)`, continuing from `crc` (0 for a fresh checksum). */
export function crc32c(bytes: Uint8Array, start = 0, end = bytes.length, crc = 0): number {
  if (native !== null && end - start >= NATIVE_MIN_BYTES) {
    return native(start === 0 && end === bytes.length ? bytes : bytes.subarray(start, end), crc);
  }
  return crc32cJs(bytes, start, end, crc);
}

/** CRC-32C of `bytes[start, end)` in JavaScript (slicing-by-8), continuing from `crc`. */
export function crc32cJs(bytes: Uint8Array, start = 0, end = bytes.length, crc = 0): number {
  let c = ~crc >>> 0;
  let i = start;
  const stop8 = end - ((end - start) & 7);
  while (i < stop8) {
    const a = (c ^ (bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24))) >>> 0;
    c =
      T7[a & 0xff]! ^ T6[(a >>> 8) & 0xff]! ^ T5[(a >>> 16) & 0xff]! ^ T4[a >>> 24]! ^
      T3[bytes[i + 4]!]! ^ T2[bytes[i + 5]!]! ^ T1[bytes[i + 6]!]! ^ T0[bytes[i + 7]!]!;
    i += 8;
  }
  while (i < end) c = (c >>> 8) ^ T0[(c ^ bytes[i++]!) & 0xff]!;
  return ~c >>> 0;
}
