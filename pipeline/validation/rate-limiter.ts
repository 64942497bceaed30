/**
 * Token buckets for ingestion limits, in bytes: `rate` bytes per second refill up to `burst`.
 * All-or-nothing admission as Loki's distributor: a request that does not fit takes nothing.
 * Pure: the time is an argument.
 */

/** One bucket. */
export class TokenBucket {
  private tokens: number;
  private lastMs: number;

  constructor(
    private ratePerSec: number,
    private burst: number,
    nowMs: number,
  ) {
    this.tokens = burst;
    this.lastMs = nowMs;
  }

  /** Change rate and burst (limits reloaded), keeping the tokens held (capped at the new burst). */
  reconfigure(ratePerSec: number, burst: number): void {
    this.ratePerSec = ratePerSec;
    this.burst = burst;
    this.tokens = Math.min(this.tokens, burst);
  }

  private refill(nowMs: number): void {
    if (nowMs > this.lastMs) {
      this.tokens = Math.min(this.burst, this.tokens + ((nowMs - this.lastMs) / 1000) * this.ratePerSec);
      this.lastMs = nowMs;
    }
  }

  /** Take `n` tokens if available now; false (and nothing taken) otherwise. */
  tryTake(n: number, nowMs: number): boolean {
    this.refill(nowMs);
    if (n > this.tokens) return false;
    this.tokens -= n;
    return true;
  }

  /** The configured rate in bytes per second. */
  limit(): number {
    return this.ratePerSec;
  }
}

/** Buckets by key (tenant, or tenant and stream), created on first use with the given settings. */
export class TokenBuckets {
  private readonly buckets = new Map<string, TokenBucket>();

  /** Take `n` from the bucket of `key` (created or reconfigured with `rate`/`burst`). */
  tryTake(key: string, n: number, rate: number, burst: number, nowMs: number): boolean {
    let b = this.buckets.get(key);
    if (!b) {
      b = new TokenBucket(rate, burst, nowMs);
      this.buckets.set(key, b);
    } else b.reconfigure(rate, burst);
    return b.tryTake(n, nowMs);
  }

  /** Forget buckets not in `keep` (bounded memory for per-stream buckets). */
  retain(keep: (key: string) => boolean): void {
    for (const k of this.buckets.keys()) if (!keep(k)) this.buckets.delete(k);
  }

  get size(): number {
    return this.buckets.size;
  }
}
