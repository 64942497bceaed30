/**
 * Per-stream retention, as Loki's `TenantRetentionSnapshot.RetentionPeriodFor`: the period of the
 * matching `retention_stream` rule with the highest priority (of equal priorities, the shortest),
 * else the tenant's `retention_period`; 0 keeps the stream's data forever. Pure.
 */
import type { StreamRetentionRule } from '../../schemas/config/index.js';
import type { Labels } from '../../schemas/labels/index.js';

/** A `retention_stream` rule with its selector compiled. */
export interface RetentionRule {
  matches(labels: Labels): boolean;
  readonly priority: number;
  readonly periodMs: number;
}

/** Compile a tenant's rules with `compile` (a selector to a stream predicate). */
export function retentionRules(rules: readonly StreamRetentionRule[], compile: (selector: string) => (labels: Labels) => boolean): RetentionRule[] {
  return rules.map((r) => ({ matches: compile(r.selector), priority: r.priority, periodMs: r.period }));
}

/** The retention period of a stream, ms; 0 keeps it forever. */
export function retentionPeriodFor(labels: Labels, rules: readonly RetentionRule[], tenantPeriodMs: number): number {
  let best: RetentionRule | null = null;
  for (const r of rules) {
    if (!r.matches(labels)) continue;
    if (best !== null && (best.priority > r.priority || (best.priority === r.priority && best.periodMs <= r.periodMs))) continue;
    best = r;
  }
  return best === null ? tenantPeriodMs : best.periodMs;
}

function cutoffOf(periodMs: number, nowMs: number): bigint | null {
  return periodMs <= 0 ? null : (BigInt(Math.floor(nowMs)) - BigInt(Math.floor(periodMs))) * 1_000_000n;
}

/** The cutoff of each stream: chunks ending before it are past retention; null keeps them. */
export function streamCutoff(rules: readonly RetentionRule[], tenantPeriodMs: number, nowMs: number): (labels: Labels) => bigint | null {
  return (labels) => cutoffOf(retentionPeriodFor(labels, rules, tenantPeriodMs), nowMs);
}

/**
 * The latest cutoff any stream of the tenant can have (from its shortest period), for deciding
 * which tables may hold data past retention; null when every stream keeps its data.
 */
export function latestCutoffNs(rules: readonly RetentionRule[], tenantPeriodMs: number, nowMs: number): bigint | null {
  let shortest = tenantPeriodMs > 0 ? tenantPeriodMs : 0;
  for (const r of rules) if (r.periodMs > 0 && (shortest === 0 || r.periodMs < shortest)) shortest = r.periodMs;
  return cutoffOf(shortest, nowMs);
}
