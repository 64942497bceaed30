/**
 * Hashes with fixed definitions, so they can be checked against test vectors: FNV-1 32-bit (the
 * partition token, as Loki's `TokenFor`), FNV-1a 32-bit (the ruler's group shard token) and FNV-1a
 * 64-bit (the stream fingerprint); and a 53-bit hash that fits a JavaScript number, for in-memory
 * maps keyed by stream. Pure.
 */

const utf8 = new TextEncoder();

/** FNV-1 32-bit over the UTF-8 bytes of each string in turn (Go's hash/fnv New32). */
export function fnv1_32(...parts: string[]): number {
  let h = 0x811c9dc5;
  for (const part of parts) {
    for (let i = 0; i < part.length; i++) {
      const c = part.charCodeAt(i);
      if (c >= 0x80) {
        // The rest of the part is not ASCII-only: hash its UTF-8 bytes.
        for (const b of utf8.encode(part.slice(i))) h = (Math.imul(h, 0x01000193) ^ b) >>> 0;
        break;
      }
      h = (Math.imul(h, 0x01000193) ^ c) >>> 0;
    }
  }
  return h;
}

/** FNV-1a 32-bit over the UTF-8 bytes of `text` (Go's hash/fnv New32a; Loki's ruler shard token). */
export function fnv1a_32(text: string): number {
  let h = 0x811c9dc5;
  for (const b of utf8.encode(text)) h = Math.imul(h ^ b, 0x01000193) >>> 0;
  return h;
}

/** FNV-1a 64-bit of the UTF-8 bytes of `text`, as 16 lowercase hex digits. */
export function fnv1a64Hex(text: string): string {
  // 64-bit arithmetic on four 16-bit limbs: h = (h ^ byte) * 0x100000001b3 mod 2^64.
  let h0 = 0x2325, h1 = 0x8422, h2 = 0x9ce4, h3 = 0xcbf2; // offset basis 0xcbf29ce484222325
  for (const b of utf8.encode(text)) {
    h0 ^= b;
    // prime = 2^40 + 0x1b3: multiply by 0x1b3, then add (h << 40).
    const t0 = h0 * 0x1b3;
    const t1 = h1 * 0x1b3;
    const t2 = h2 * 0x1b3;
    const t3 = h3 * 0x1b3;
    // h << 40: limb k moves to limb k + 2.5 → shift by 8 bits into limbs 2 and 3.
    const s2 = (h0 << 8) & 0xffff;
    const s3 = ((h1 << 8) | (h0 >>> 8)) & 0xffff;
    let c = t0;
    h0 = c & 0xffff;
    c = t1 + Math.floor(c / 0x10000);
    h1 = c & 0xffff;
    c = t2 + s2 + Math.floor(c / 0x10000);
    h2 = c & 0xffff;
    c = t3 + s3 + Math.floor(c / 0x10000);
    h3 = c & 0xffff;
  }
  const hex = (n: number) => n.toString(16).padStart(4, '0');
  return hex(h3) + hex(h2) + hex(h1) + hex(h0);
}

/**
 * A 53-bit hash of the UTF-16 code units of `text`, as a number (two 32-bit multiply-xorshift lanes
 * mixed together, after bryc's public-domain cyrb53): for in-memory maps of many streams, where a
 * number key takes a fraction of the memory of the label text. Not a stored or wire format.
 */
export function hash53(text: string): number {
  let a = 0xdeadbeef;
  let b = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x9e3779b1);
    b = Math.imul(b ^ c, 0x5f356495);
  }
  a = Math.imul(a ^ (a >>> 16), 0x85ebca6b) ^ Math.imul(b ^ (b >>> 13), 0xc2b2ae35);
  b = Math.imul(b ^ (b >>> 16), 0x85ebca6b) ^ Math.imul(a ^ (a >>> 13), 0xc2b2ae35);
  return (b & 0x1fffff) * 0x100000000 + (a >>> 0);
}
