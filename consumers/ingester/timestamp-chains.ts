/**
 * A duplicate-check index over a column of timestamps: positions are chained by a hash of their
 * timestamp, so the positions that may hold a given timestamp are found without a Map lookup or a
 * boxed key. Timestamps are hashed as doubles, so near ones may share a chain; callers compare
 * exactly. Positions must be added in order, 0, 1, 2, …. Pure.
 */

/** Hash of a timestamp into `bits` bits (Fibonacci hashing of the double's low and high words). */
function slotOf(tsNs: bigint, bits: number): number {
  const x = Number(tsNs);
  const lo = x % 4294967296 | 0;
  const hi = (x / 4294967296) | 0;
  return Math.imul(lo ^ Math.imul(hi, 0x85ebca6b), 0x9e3779b1) >>> (32 - bits);
}

export class TimestampChains {
  /** The latest position in each slot, or -1. */
  private heads: Int32Array;
  /** For each position, the previous position in its slot, or -1. */
  private prev: Int32Array;
  private bits: number;
  private size = 0;

  constructor() {
    this.bits = 6;
    this.heads = new Int32Array(1 << this.bits).fill(-1);
    this.prev = new Int32Array(1 << (this.bits - 1));
  }

  /** Positions added so far. */
  get count(): number {
    return this.size;
  }

  /** Chain position `i` (which must equal `count`), holding `tsNs[i]`, into its slot. */
  add(i: number, tsNs: readonly bigint[]): void {
    if (i !== this.size) throw new RangeError(`position ${i} added out of order (expected ${this.size})`);
    if (i >= this.prev.length) this.grow(tsNs);
    const slot = slotOf(tsNs[i] as bigint, this.bits);
    this.prev[i] = this.heads[slot] as number;
    this.heads[slot] = i;
    this.size++;
  }

  /** The latest position whose timestamp may equal `ts`, or -1. */
  first(ts: bigint): number {
    return this.heads[slotOf(ts, this.bits)] as number;
  }

  /** The position before `i` in its chain, or -1. */
  next(i: number): number {
    return this.prev[i] as number;
  }

  /** Double the capacity, keeping slots at most half full, and relink every position. */
  private grow(tsNs: readonly bigint[]): void {
    const prev = new Int32Array(this.prev.length * 2);
    this.bits++;
    this.heads = new Int32Array(1 << this.bits).fill(-1);
    for (let j = 0; j < this.size; j++) {
      const slot = slotOf(tsNs[j] as bigint, this.bits);
      prev[j] = this.heads[slot] as number;
      this.heads[slot] = j;
    }
    this.prev = prev;
  }
}
