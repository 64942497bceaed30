/**
 * Per-tenant stream limits kept by the distributor: the number of active streams (seen within
 * the ingesters' chunk_idle_period) against max_global_streams_per_user / max_streams_per_user,
 * and each stream's rate against per_stream_rate_limit. Pure: the time is an argument.
 */
import type { LimitsConfig } from '../../schemas/config/index.js';
import type { DiscardReason } from '../../schemas/errors.js';
import { datasizeString } from '../../schemas/go/index.js';
import { TokenBuckets } from '../validation/rate-limiter.js';

/** Why a stream was refused: Loki's reason and message. */
export type StreamRefusal = { readonly reason: Extract<DiscardReason, 'stream_limit' | 'per_stream_rate_limit'>; readonly message: string };

/** Active streams and per-stream rates of every tenant. */
export class StreamLimits {
  private readonly lastSeen = new Map<string, Map<string, number>>();
  private readonly rates = new TokenBuckets();

  constructor(private readonly activeForMs: number) {}

  /** The effective active-stream limit of a tenant (0: none). */
  static streamLimit(limits: LimitsConfig): number {
    const a = limits.max_global_streams_per_user;
    const b = limits.max_streams_per_user;
    if (a === 0) return b;
    if (b === 0) return a;
    return Math.min(a, b);
  }

  /** Admit `bytes` for stream `key` of `tenant`, or say why not (nothing is recorded for a refusal). */
  admit(tenant: string, key: string, bytes: number, limits: LimitsConfig, nowMs: number): StreamRefusal | null {
    let streams = this.lastSeen.get(tenant);
    if (!streams) {
      streams = new Map();
      this.lastSeen.set(tenant, streams);
    }
    const limit = StreamLimits.streamLimit(limits);
    if (!streams.has(key) && limit > 0) {
      if (streams.size >= limit) this.expire(streams, nowMs);
      if (streams.size >= limit) {
        return {
          reason: 'stream_limit',
          message: `maximum active stream limit exceeded when trying to create stream ${key}, reduce the number of active streams (reduce labels or reduce label values), or contact your Loki administrator to see if the limit can be increased, user: '${tenant}'`,
        };
      }
    }
    const rate = limits.per_stream_rate_limit;
    if (rate > 0 && !this.rates.tryTake(`${tenant}\u0000${key}`, bytes, rate, Math.max(limits.per_stream_rate_limit_burst, rate), nowMs)) {
      return {
        reason: 'per_stream_rate_limit',
        message: `Per stream rate limit exceeded (limit: ${datasizeString(rate)}/sec) while attempting to ingest for stream '${key}' totaling ${datasizeString(bytes)}, consider splitting a stream via additional labels or contact your Loki administrator to see if the limit can be increased`,
      };
    }
    streams.set(key, nowMs);
    return null;
  }

  private expire(streams: Map<string, number>, nowMs: number): void {
    for (const [k, seen] of streams) if (nowMs - seen > this.activeForMs) streams.delete(k);
  }

  /** Forget idle streams of every tenant and their rate buckets (called periodically). */
  sweep(nowMs: number): void {
    for (const [tenant, streams] of this.lastSeen) {
      this.expire(streams, nowMs);
      if (streams.size === 0) this.lastSeen.delete(tenant);
    }
    this.rates.retain((k) => {
      const [tenant, key] = k.split('\u0000') as [string, string];
      return this.lastSeen.get(tenant)?.has(key) ?? false;
    });
  }
}
