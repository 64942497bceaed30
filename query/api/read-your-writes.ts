/**
 * Read-your-writes on the query API: a request carrying `X-Fjord-Write-Position` (what a push
 * answered) is held until the ingesters serving those partitions have consumed past it, at most
 * `X-Fjord-Write-Position-Timeout` (a Go duration such as `5s`; default 10s; the tenant's
 * `query_timeout` still applies), then answered, or refused with 503 past the timeout.
 */
import { FjordError } from '../../schemas/index.js';
import { parseGoDuration } from '../../schemas/go/index.js';
import { decodeWritePosition, type WritePosition } from '../../schemas/record/index.js';

/** The header naming how long a query may wait for its write position. */
export const WRITE_POSITION_TIMEOUT_HEADER = 'x-fjord-write-position-timeout';

const DEFAULT_TIMEOUT_MS = 10_000;

/** What serves read-your-writes (the querier's write position gate). */
export interface ReadYourWrites {
  waitFor(position: WritePosition, timeoutMs: number, signal: AbortSignal): Promise<void>;
  freshness(tenant: string, signal: AbortSignal): Promise<unknown>;
}

/** The position and timeout a request asks for, or null when it sends no position. */
export function requestedPosition(position: string | undefined, timeout: string | undefined): { position: WritePosition; timeoutMs: number } | null {
  if (position === undefined || position.trim() === '') return null;
  let timeoutMs = DEFAULT_TIMEOUT_MS;
  if (timeout !== undefined) {
    const d = parseGoDuration(timeout.trim());
    if (!d.ok || d.value < 0n) throw new FjordError('bad_request', `invalid X-Fjord-Write-Position-Timeout header ${JSON.stringify(timeout)}: want a duration such as 5s`);
    timeoutMs = Number(d.value / 1_000_000n);
  }
  return { position: decodeWritePosition(position), timeoutMs };
}
