/**
 * The benchmark harness behind `npm run bench`. A suite returns figures; every figure carries a
 * reference measured in the same run on the same data (raw zstd, Buffer.indexOf, …), so results
 * can be compared across noisy machines by their ratio.
 */

/** One measured rate, e.g. `{ value: 512.3, unit: 'MB/s' }`. */
export interface Rate {
  readonly label: string;
  readonly value: number;
  readonly unit: string;
}

/** One line of the table: a figure and its same-run reference. */
export interface BenchFigure {
  readonly name: string;
  readonly figure: Rate;
  readonly reference: Rate;
  readonly note?: string;
}

/** A named group of benchmarks; `run` may print progress to stderr. */
export interface BenchSuite {
  readonly name: string;
  /** True when the suite needs the real Kafka broker and S3 server (started by the runner). */
  readonly needsServices?: boolean;
  run(): Promise<BenchFigure[]>;
}

/** Result of timing a function: how many units of work per second it did. */
export interface Timing {
  readonly iterations: number;
  readonly seconds: number;
}

/**
 * Call `fn` repeatedly for at least `minMs` (after one warm-up call) and return the iterations and
 * the elapsed seconds. `fn` returns a value that is kept so the work cannot be optimised away.
 */
export async function timeIt(fn: () => unknown | Promise<unknown>, minMs = 1000): Promise<Timing> {
  let sink: unknown = await fn();
  const start = process.hrtime.bigint();
  let iterations = 0;
  let elapsedNs = 0n;
  const minNs = BigInt(minMs) * 1_000_000n;
  while (elapsedNs < minNs) {
    sink = await fn();
    iterations++;
    elapsedNs = process.hrtime.bigint() - start;
  }
  if (sink === Symbol.for('never')) console.error('unreachable');
  return { iterations, seconds: Number(elapsedNs) / 1e9 };
}

/** Units of work per second for a timing where each iteration did `unitsPerIteration`. */
export function perSecond(t: Timing, unitsPerIteration: number): number {
  return (t.iterations * unitsPerIteration) / t.seconds;
}

/** Megabytes (10^6 bytes) per second for a timing where each iteration processed `bytes`. */
export function mbPerSecond(t: Timing, bytes: number): number {
  return perSecond(t, bytes) / 1e6;
}

/** A rate, rounded for printing. */
export function rate(label: string, value: number, unit: string): Rate {
  return { label, value: Math.round(value * 100) / 100, unit };
}

/** The p-th percentile (0–100) of a list of numbers. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[idx] as number;
}
