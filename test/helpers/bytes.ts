/** Small byte helpers for tests: hex in and out, UTF-8, and a seeded mutation source. */

/** Bytes from hex text; spaces and newlines are ignored. */
export function hex(text: string): Uint8Array {
  const clean = text.replace(/\s+/g, '');
  if (clean.length % 2 !== 0) throw new Error(`odd hex length: ${text}`);
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(clean.slice(i * 2, i * 2 + 2), 16);
  return out;
}

/** Hex text of bytes. */
export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

/** UTF-8 bytes of a string. */
export function utf8(s: string): Uint8Array {
  return new TextEncoder().encode(s);
}

/** A string from UTF-8 bytes. */
export function text(bytes: Uint8Array): string {
  return new TextDecoder().decode(bytes);
}

/** A random mutation of `input`: byte flips, insertions, deletions, truncation or duplication. */
export function mutate(input: Uint8Array, rand: () => number): Uint8Array {
  const bytes = [...input];
  const edits = 1 + Math.floor(rand() * 4);
  for (let e = 0; e < edits; e++) {
    const at = Math.floor(rand() * (bytes.length + 1));
    const kind = Math.floor(rand() * 5);
    if (kind === 0 && bytes.length > 0) bytes[Math.min(at, bytes.length - 1)] = Math.floor(rand() * 256);
    else if (kind === 1) bytes.splice(at, 0, Math.floor(rand() * 256));
    else if (kind === 2) bytes.splice(at, 1 + Math.floor(rand() * 8));
    else if (kind === 3) bytes.length = Math.min(bytes.length, at);
    else bytes.splice(at, 0, ...bytes.slice(at, at + 1 + Math.floor(rand() * 16)));
  }
  return Uint8Array.from(bytes);
}

/** The path of a committed fixture, from a compiled test under dist/test/unit/<dir>/. */
export function fixturePath(name: string): string {
  return new URL(`../../../test/fixtures/${name}`, import.meta.url).pathname;
}
