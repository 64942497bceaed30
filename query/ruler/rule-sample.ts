/**
 * Samples the rules produce for remote write: recording rule results and the ALERTS series,
 * with Prometheus' staleness marker for series that vanished since the last evaluation. Pure.
 */
import { formatLabels, type Labels } from '../../schemas/labels/index.js';

/** One sample; `stale` samples carry Prometheus' StaleNaN (bits 0x7ff0000000000002) as their value. */
export interface RuleSample {
  readonly labels: Labels;
  readonly tsMs: number;
  readonly value: number;
  readonly stale?: boolean;
}

/**
 * Staleness markers at `tsMs` for the series of `previous` that are not in `current`
 * (`V:rules/group.go`: a series a rule stopped producing is marked stale).
 */
export function staleMarkers(previous: ReadonlyMap<string, Labels>, current: readonly RuleSample[], tsMs: number): RuleSample[] {
  const now = new Set(current.map((s) => formatLabels(s.labels)));
  const out: RuleSample[] = [];
  for (const [key, labels] of previous) if (!now.has(key)) out.push({ labels, tsMs, value: Number.NaN, stale: true });
  return out;
}

/** The series of `samples` by label text, for the next evaluation's staleness markers. */
export function seriesOf(samples: readonly RuleSample[]): Map<string, Labels> {
  return new Map(samples.filter((s) => !s.stale).map((s) => [formatLabels(s.labels), s.labels]));
}
