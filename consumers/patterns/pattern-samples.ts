/**
 * A pattern's sample counts over time, as Loki's pattern chunks (`L:pkg/pattern/drain/chunk.go`):
 * lines counted per `pattern_sample_interval` bucket (timestamps truncated to it), buckets in time
 * order within chunks that span less than `max_chunk_age`; a line older than the newest bucket is
 * not counted. Pure; times are milliseconds since the epoch.
 */

/** One sample: a bucket's start (ms) and the lines counted in it. */
export interface PatternSample {
  readonly tsMs: number;
  readonly value: number;
}

interface SampleChunk {
  readonly tsMs: number[];
  readonly values: number[];
}

/** `ts` truncated down to a multiple of `step` (Loki's TruncateTimestamp). */
export function truncateMs(tsMs: number, stepMs: number): number {
  return tsMs - (((tsMs % stepMs) + stepMs) % stepMs);
}

/** The sample chunks of one pattern. */
export class PatternSamples {
  private chunks: SampleChunk[] = [];

  constructor(
    private readonly maxChunkAgeMs: number,
    private readonly sampleIntervalMs: number,
  ) {}

  /** Count one line at `tsMs`. */
  add(tsMs: number): void {
    const t = truncateMs(tsMs, this.sampleIntervalMs);
    const last = this.chunks[this.chunks.length - 1];
    if (last === undefined) {
      this.chunks.push({ tsMs: [t], values: [1] });
      return;
    }
    const n = last.tsMs.length - 1;
    const lastTs = last.tsMs[n] as number;
    if (lastTs === t) {
      (last.values[n] as number)++;
      return;
    }
    if (t - (last.tsMs[0] as number) >= this.maxChunkAgeMs) {
      this.chunks.push({ tsMs: [t], values: [1] });
      return;
    }
    if (tsMs < lastTs) return;
    last.tsMs.push(t);
    last.values.push(1);
  }

  /** Lines counted in all chunks. */
  get total(): number {
    let n = 0;
    for (const c of this.chunks) for (const v of c.values) n += v;
    return n;
  }

  /**
   * The samples in [fromMs, throughMs), re-bucketed by `stepMs` when it differs from the sample
   * interval: a chunk's buckets from its first to its last in range, those without lines as 0.
   */
  range(fromMs: number, throughMs: number, stepMs: number): PatternSample[] {
    const out: PatternSample[] = [];
    for (const c of this.chunks) {
      const first = c.tsMs[0] as number;
      const last = c.tsMs[c.tsMs.length - 1] as number;
      if (fromMs >= throughMs || first >= throughMs || last < fromMs) continue;
      let lo = 0;
      while (lo < c.tsMs.length && (c.tsMs[lo] as number) < fromMs) lo++;
      let hi = c.tsMs.length;
      while (hi > lo && (c.tsMs[hi - 1] as number) >= throughMs) hi--;
      if (lo >= hi) continue;
      if (stepMs === this.sampleIntervalMs) {
        for (let i = lo; i < hi; i++) out.push({ tsMs: c.tsMs[i] as number, value: c.values[i] as number });
        continue;
      }
      let bucket = truncateMs(c.tsMs[lo] as number, stepMs);
      let value = 0;
      for (let i = lo; i < hi; i++) {
        const ts = c.tsMs[i] as number;
        if (ts >= bucket + stepMs) {
          const to = truncateMs(ts, stepMs);
          out.push({ tsMs: bucket, value });
          for (let b = bucket + stepMs; b < to; b += stepMs) out.push({ tsMs: b, value: 0 });
          bucket = to;
          value = 0;
        }
        value += c.values[i] as number;
      }
      out.push({ tsMs: bucket, value });
    }
    return out;
  }

  /** Drop the chunks whose newest bucket is more than `olderThanMs` before `nowMs`; true when none is left. */
  prune(nowMs: number, olderThanMs: number): boolean {
    this.chunks = this.chunks.filter((c) => nowMs - (c.tsMs[c.tsMs.length - 1] as number) <= olderThanMs);
    return this.chunks.length === 0;
  }
}
