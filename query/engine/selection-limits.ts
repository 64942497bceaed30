/**
 * Loki's `max_query_length` on the data a query selects, as its querier checks each selection
 * (`L:pkg/querier/limits/validation.go` ValidateQueryTimeRangeLimits, called from SelectSamples):
 * a metric query's selection reaches back over its range and offset, so `rate({…}[1y])` is too long
 * for the default 30d1h even as an instant query. Pure.
 */
import { FjordError } from '../../schemas/index.js';
import { formatGoDuration, formatPromDuration } from '../../schemas/go/index.js';

const MS_NS = 1_000_000n;

/** Loki's ErrQueryTooLong (`L:pkg/util/validation/validate.go`) for a length and a limit in ns. */
export function queryTooLong(lengthNs: bigint, limitNs: bigint): FjordError {
  return new FjordError('bad_request', `the query time range exceeds the limit (query length: ${formatGoDuration(lengthNs)}, limit: ${formatPromDuration(limitNs)})`);
}

/**
 * Throws 400 `the query time range exceeds the limit (…)` when the selection (fromNs, toNs] is
 * longer than the smallest positive of the tenants' `max_query_length` (ms); none positive disables it.
 */
export function validateSelectionLength(fromNs: bigint, toNs: bigint, tenantMaxQueryLengthMs: readonly number[]): void {
  let maxQueryLengthMs = 0;
  for (const v of tenantMaxQueryLengthMs) if (v > 0 && (maxQueryLengthMs === 0 || v < maxQueryLengthMs)) maxQueryLengthMs = v;
  if (maxQueryLengthMs === 0) return;
  const limitNs = BigInt(maxQueryLengthMs) * MS_NS;
  if (toNs - fromNs > limitNs) throw queryTooLong(toNs - fromNs, limitNs);
}
