/**
 * Retries of failed query pieces, as Loki's retry middleware
 * (`L:pkg/querier/queryrange/queryrangebase/retry.go`): up to `query_range.max_retries` tries in
 * all, only for errors that may pass (5xx, unavailable, unknown errors), never for a bad query,
 * a hit limit or a cancelled request; waits 250 ms, 500 ms, 1 s, … (at most 5 s, with jitter)
 * between tries.
 */
import { FjordError } from '../../schemas/index.js';
import { statusOf } from '../../platform/index.js';

/** How a piece is retried. */
export interface RetryPolicy {
  /** Tries in all (Loki's max_retries; 0 behaves as 1). */
  readonly maxTries: number;
  readonly minBackoffMs: number;
  readonly maxBackoffMs: number;
}

/** Loki's defaults: 250 ms doubling up to 5 s. */
export function retryPolicy(maxRetries: number): RetryPolicy {
  return { maxTries: Math.max(1, maxRetries), minBackoffMs: 250, maxBackoffMs: 5000 };
}

/**
 * True when trying again may succeed: a FjordError whose status is 5xx (not 4xx: a bad query, a hit limit, a full queue),
 * or any error that is not a FjordError (Loki retries every non-HTTP error). Never after the
 * request was cancelled or timed out.
 */
export function isRetryable(err: unknown): boolean {
  if (err instanceof FjordError) {
    if (err.code === 'query_timeout' || err.code === 'client_closed' || err.code === 'aborted') return false;
    const status = statusOf(err.code);
    return status >= 500;
  }
  return !(err instanceof Error && err.name === 'AbortError');
}

/** The wait before try `n` (n ≥ 1): min × 2^(n−1), capped, scaled by `jitter` in [0.5, 1]. */
export function backoffMs(n: number, policy: RetryPolicy, jitter: number): number {
  const base = Math.min(policy.maxBackoffMs, policy.minBackoffMs * 2 ** Math.max(0, n - 1));
  return Math.round(base * (0.5 + 0.5 * Math.min(1, Math.max(0, jitter))));
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(t);
      reject(signal.reason as Error);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Run `attempt` until it succeeds, fails with an error that is not retryable, or has been tried
 * `policy.maxTries` times (the last error is thrown). `onTries` gets the number of tries used.
 */
export async function withRetries<T>(
  attempt: (tryNumber: number) => Promise<T>,
  policy: RetryPolicy,
  signal: AbortSignal,
  onTries: (tries: number) => void = () => {},
  random: () => number = Math.random,
): Promise<T> {
  let lastErr: unknown;
  for (let n = 0; n < policy.maxTries; n++) {
    if (signal.aborted) throw signal.reason;
    if (n > 0) await sleep(backoffMs(n, policy, random()), signal);
    try {
      const r = await attempt(n);
      onTries(n + 1);
      return r;
    } catch (err) {
      if (signal.aborted) throw signal.reason;
      lastErr = err;
      if (!isRetryable(err)) {
        onTries(n + 1);
        throw err;
      }
    }
  }
  onTries(policy.maxTries);
  throw lastErr;
}
