/**
 * Per-tenant query limits as Loki enforces them before a query runs, with Loki's messages:
 * max entries (`L:pkg/querier/queryrange/limits.go` validateMaxEntriesLimits), max query
 * lookback clamping and max query length (`limitsMiddleware.Do`, `L:pkg/util/validation/validate.go`),
 * max stream matchers (`L:pkg/querier/limits/validation.go`). For several tenants the smallest
 * positive limit wins (`SmallestPositiveNonZero…PerTenant`). Durations in config are ms. Pure.
 */
import { FjordError } from '../../schemas/index.js';
import type { LimitsConfig } from '../../schemas/config/index.js';
import { queryTooLong } from '../engine/selection-limits.js';
import type { CompiledMatcher } from '../logql/index.js';

const MS_NS = 1_000_000n;

/** The smallest value above zero, or 0 when none is (Loki's SmallestPositiveNonZero…PerTenant). */
export function smallestPositiveNonZero(values: readonly number[]): number {
  let out = 0;
  for (const v of values) if (v > 0 && (out === 0 || v < out)) out = v;
  return out;
}

/** Throws 400 when a log query's `limit` exceeds `max_entries_limit_per_query`. */
export function validateMaxEntries(limit: number, limits: readonly LimitsConfig[]): void {
  const max = smallestPositiveNonZero(limits.map((l) => l.max_entries_limit_per_query));
  if (max !== 0 && limit > max) {
    throw new FjordError('bad_request', `max entries limit per query exceeded, limit > max_entries_limit_per_query (${limit} > ${max})`);
  }
}

/**
 * Apply `max_query_lookback` and `max_query_length` to [startNs, endNs]: a start before
 * now − lookback is moved up to it; a range entirely before it gives null (Loki answers an empty
 * result); a range longer than the max length is a 400
 * `the query time range exceeds the limit (query length: …, limit: …)`.
 */
export function applyTimeRangeLimits(
  startNs: bigint,
  endNs: bigint,
  nowNs: bigint,
  limits: readonly LimitsConfig[],
): { startNs: bigint; endNs: bigint } | null {
  const lookbackMs = smallestPositiveNonZero(limits.map((l) => l.max_query_lookback));
  let start = startNs;
  if (lookbackMs > 0) {
    const minStart = nowNs - BigInt(lookbackMs) * MS_NS;
    if (endNs < minStart) return null;
    if (start < minStart) start = minStart;
  }
  const maxLengthMs = smallestPositiveNonZero(limits.map((l) => l.max_query_length));
  if (maxLengthMs > 0) {
    const lengthNs = (endNs / MS_NS - start / MS_NS) * MS_NS;
    if (lengthNs > BigInt(maxLengthMs) * MS_NS) {
      throw queryTooLong(lengthNs, BigInt(maxLengthMs) * MS_NS);
    }
  }
  return { startNs: start, endNs };
}

/** Throws 400 when a selector carries more matchers than `max_streams_matchers_per_query`. */
export function validateStreamMatchers(selectors: readonly (readonly CompiledMatcher[])[], limits: readonly LimitsConfig[]): void {
  const max = smallestPositiveNonZero(limits.map((l) => l.max_streams_matchers_per_query));
  if (max === 0) return;
  for (const sel of selectors) {
    if (sel.length > max) {
      throw new FjordError('bad_request', `max streams matchers per query exceeded, matchers-count > limit (${sel.length} > ${max})`);
    }
  }
}

/** The query timeout of a request in ms (smallest positive `query_timeout` of its tenants). */
export function queryTimeoutMs(limits: readonly LimitsConfig[]): number {
  return smallestPositiveNonZero(limits.map((l) => l.query_timeout));
}
