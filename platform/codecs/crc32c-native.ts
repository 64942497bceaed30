/**
 * CRC-32C through @node-rs/crc32 (an optional dependency with prebuilt binaries, hardware CRC
 * instructions where the CPU has them). Where it does not load, CRC-32C stays in JavaScript.
 */
import { createRequire } from 'node:module';
import { useNativeCrc32c } from '../../schemas/wire/index.js';

const require = createRequire(import.meta.url);

/** The part of @node-rs/crc32 used here (declared locally: the package is optional). */
interface NodeRsCrc32 {
  crc32c(input: Uint8Array, initialState?: number): number;
}

/** Install the native CRC-32C for this process when the addon loads; true when it did. */
export function installNativeCrc32c(): boolean {
  let mod: NodeRsCrc32;
  try {
    mod = require('@node-rs/crc32') as NodeRsCrc32;
    if (mod.crc32c(Buffer.from('123456789')) !== 0xe3069283) return false;
  } catch {
    return false;
  }
  useNativeCrc32c((bytes, crc) => mod.crc32c(bytes, crc));
  return true;
}
