/**
 * Shards of the stream fingerprint space, for sharded metric queries. Shard `index` of `of` holds
 * the streams whose 64-bit fingerprint fp (FNV-1a 64 of the canonical label text, the series
 * fingerprint of the index) satisfies floor(fp × of / 2^64) = index: `of` equal slices of the
 * fingerprint space, in order. For a power-of-two `of` this is Loki's TSDB rule
 * (`ShardAnnotation.Match`): the top log2(of) bits of fp are the index. Every stream is in exactly
 * one shard of a given count. Text form, as Loki's: `<index>_of_<of>` (`3_of_16`). Pure.
 */
import { FjordError } from '../errors.js';

/** Shard `index` (0-based) of `of` (≥ 2). */
export interface Shard {
  readonly index: number;
  readonly of: number;
}

/** Largest shard count accepted. */
const MAX_SHARDS = 1 << 20;
const SHARD_TEXT = /^(\d{1,7})_of_(\d{1,7})$/;

/** The text form `<index>_of_<of>`. */
export function formatShard(s: Shard): string {
  return `${s.index}_of_${s.of}`;
}

/** A shard from its text form; throws FjordError('bad_request') unless 0 ≤ index < of, 2 ≤ of ≤ 2^20. */
export function parseShard(text: string): Shard {
  const m = SHARD_TEXT.exec(text);
  const index = Number(m?.[1]);
  const of = Number(m?.[2]);
  if (m === null || of < 2 || of > MAX_SHARDS || index >= of) {
    throw new FjordError('bad_request', `invalid shard ${JSON.stringify(text)}: want <index>_of_<count> with index < count, 2 ≤ count ≤ ${MAX_SHARDS}`);
  }
  return { index, of };
}

/** True when the stream with this fingerprint (16 lowercase hex digits) falls in `shard`. */
export function isInShard(fingerprintHex: string, shard: Shard): boolean {
  return Number((BigInt(`0x${fingerprintHex}`) * BigInt(shard.of)) >> 64n) === shard.index;
}

/** Two optional shards are the same (both absent, or equal index and count). */
export function sameShard(a: Shard | null, b: Shard | null): boolean {
  return a === null || b === null ? a === b : a.index === b.index && a.of === b.of;
}
