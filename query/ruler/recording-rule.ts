/**
 * A recording rule's output, as Prometheus builds it (`V:rules/recording.go`): each result
 * sample renamed to the rule's `record`, the rule's labels set over its own, at the evaluation
 * time. Pure.
 */
import { formatLabels, sortLabels } from '../../schemas/labels/index.js';
import type { VectorSample } from '../logql/index.js';
import type { RuleDesc } from './rule-group.js';
import type { RuleSample } from './rule-sample.js';

/** Prometheus' text when two samples end up with one label set. */
export const ERR_DUPLICATE_RECORD = 'vector contains metrics with the same labelset after applying rule labels';

/** The samples a recording rule writes at `tsMs`; throws Error on duplicates and past `limit` (> 0) series. */
export function recordSamples(rule: RuleDesc, samples: readonly VectorSample[], tsMs: number, limit: number): RuleSample[] {
  const out: RuleSample[] = [];
  const seen = new Set<string>();
  for (const s of samples) {
    const byName = new Map(s.metric.map((l) => [l.name, l.value]));
    byName.set('__name__', rule.record);
    for (const [k, v] of Object.entries(rule.labels)) byName.set(k, v);
    const labels = sortLabels([...byName].map(([name, value]) => ({ name, value })).filter((l) => l.value !== ''));
    const key = formatLabels(labels);
    if (seen.has(key)) throw new Error(ERR_DUPLICATE_RECORD);
    seen.add(key);
    out.push({ labels, tsMs, value: s.value });
  }
  if (limit > 0 && out.length > limit) throw new Error(`exceeded limit of ${limit} with ${out.length} series`);
  return out;
}
