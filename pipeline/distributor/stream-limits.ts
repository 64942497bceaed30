/**
 * Per-tenant stream limits kept by the distributor: the number of active streams (seen within
 * the ingesters' chunk_idle_period) against max_global_streams_per_user / max_streams_per_user,
 * and each stream's rate against per_stream_rate_limit. Pure: the time is an argument.
 *
 * Every stream seen within chunk_idle_period is held (as Loki's ingest limits hold stream
 * hashes), so what is held per stream decides the distributor's memory when pods come and go:
 * one entry keyed by a 53-bit hash of the label text, holding when it was seen and its rate
 * bucket. Idle streams are dropped by `sweep`.
 */
import type { LimitsConfig } from '../../schemas/config/index.js';
import type { DiscardReason } from '../../schemas/errors.js';
import { datasizeString } from '../../schemas/go/index.js';
import { hash53 } from '../../schemas/wire/index.js';

/** Why a stream was refused: Loki's reason and message. */
export type StreamRefusal = { readonly reason: Extract<DiscardReason, 'stream_limit' | 'per_stream_rate_limit'>; readonly message: string };

/** One stream: when it was last admitted, and its rate bucket (bytes available as of `refilledMs`). */
interface StreamState {
  seenMs: number;
  tokens: number;
  refilledMs: number;
}

/** The streams of one tenant, and when idle ones were last dropped because the tenant was at its limit. */
interface TenantStreams {
  readonly streams: Map<number, StreamState>;
  expiredMs: number;
}

/** A tenant at its limit has its idle streams dropped at most this often (each time costs a pass over them all). */
const EXPIRE_AT_LIMIT_EVERY_MS = 1000;

/** Active streams and per-stream rates of every tenant. */
export class StreamLimits {
  private readonly tenants = new Map<string, TenantStreams>();

  constructor(private readonly activeForMs: number) {}

  /** The effective active-stream limit of a tenant (0: none). */
  static streamLimit(limits: LimitsConfig): number {
    const a = limits.max_global_streams_per_user;
    const b = limits.max_streams_per_user;
    if (a === 0) return b;
    if (b === 0) return a;
    return Math.min(a, b);
  }

  /** Admit `bytes` for stream `key` of `tenant`, or say why not (a refused new stream is not recorded). */
  admit(tenant: string, key: string, bytes: number, limits: LimitsConfig, nowMs: number): StreamRefusal | null {
    let t = this.tenants.get(tenant);
    if (!t) {
      t = { streams: new Map(), expiredMs: -Infinity };
      this.tenants.set(tenant, t);
    }
    const id = hash53(key);
    const state = t.streams.get(id);
    const limit = StreamLimits.streamLimit(limits);
    if (!state && limit > 0 && t.streams.size >= limit) {
      if (nowMs - t.expiredMs >= EXPIRE_AT_LIMIT_EVERY_MS) {
        t.expiredMs = nowMs;
        this.expire(t.streams, nowMs);
      }
      if (t.streams.size >= limit) {
        return {
          reason: 'stream_limit',
          message: `maximum active stream limit exceeded when trying to create stream ${key}, reduce the number of active streams (reduce labels or reduce label values), or contact your Loki administrator to see if the limit can be increased, user: '${tenant}'`,
        };
      }
    }
    const rate = limits.per_stream_rate_limit;
    let tokens = 0;
    if (rate > 0) {
      const burst = Math.max(limits.per_stream_rate_limit_burst, rate);
      tokens = state ? Math.min(burst, state.tokens + (Math.max(0, nowMs - state.refilledMs) / 1000) * rate) : burst;
      if (bytes > tokens) {
        if (state) {
          state.tokens = tokens;
          state.refilledMs = Math.max(nowMs, state.refilledMs);
        }
        return {
          reason: 'per_stream_rate_limit',
          message: `Per stream rate limit exceeded (limit: ${datasizeString(rate)}/sec) while attempting to ingest for stream '${key}' totaling ${datasizeString(bytes)}, consider splitting a stream via additional labels or contact your Loki administrator to see if the limit can be increased`,
        };
      }
      tokens -= bytes;
    }
    if (state) {
      state.seenMs = nowMs;
      state.tokens = tokens;
      state.refilledMs = Math.max(nowMs, state.refilledMs);
    } else t.streams.set(id, { seenMs: nowMs, tokens, refilledMs: nowMs });
    return null;
  }

  private expire(streams: Map<number, StreamState>, nowMs: number): void {
    for (const [id, s] of streams) if (nowMs - s.seenMs > this.activeForMs) streams.delete(id);
  }

  /** Forget idle streams of every tenant (called periodically). */
  sweep(nowMs: number): void {
    for (const [tenant, t] of this.tenants) {
      this.expire(t.streams, nowMs);
      if (t.streams.size === 0) this.tenants.delete(tenant);
    }
  }

  /** Streams held, of every tenant. */
  trackedStreams(): number {
    let n = 0;
    for (const t of this.tenants.values()) n += t.streams.size;
    return n;
  }
}
