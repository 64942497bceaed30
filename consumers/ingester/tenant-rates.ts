/**
 * Lines and bytes per second each tenant pushes, as the ingester consumes them: counts in
 * 5-second buckets over the last 30 seconds (the bucket being filled is left out, so a rate does
 * not sag at the start of each bucket). Pure: times are arguments.
 */
import type { TenantRate } from '../../platform/index.js';

const BUCKET_MS = 5000;
const WINDOW_BUCKETS = 6;

interface Bucket {
  readonly index: number;
  lines: number;
  bytes: number;
}

/** Per-tenant consumption rates over a sliding window. */
export class TenantRates {
  private readonly tenants = new Map<string, Bucket[]>();

  /** Count `lines` lines of `bytes` bytes consumed for `tenant` at `nowMs`. */
  add(tenant: string, lines: number, bytes: number, nowMs: number): void {
    const index = Math.floor(nowMs / BUCKET_MS);
    let list = this.tenants.get(tenant);
    if (!list) this.tenants.set(tenant, (list = []));
    let last = list[list.length - 1];
    if (!last || last.index !== index) {
      last = { index, lines: 0, bytes: 0 };
      list.push(last);
      while (list.length > 0 && (list[0] as Bucket).index < index - WINDOW_BUCKETS) list.shift();
    }
    last.lines += lines;
    last.bytes += bytes;
  }

  /** Each tenant's rate over the complete buckets of the window ending at `nowMs`; idle tenants are forgotten. */
  rates(nowMs: number): TenantRate[] {
    const current = Math.floor(nowMs / BUCKET_MS);
    const out: TenantRate[] = [];
    for (const [tenant, list] of this.tenants) {
      const inWindow = list.filter((b) => b.index < current && b.index >= current - WINDOW_BUCKETS);
      if (inWindow.length === 0 && !list.some((b) => b.index === current)) {
        this.tenants.delete(tenant);
        continue;
      }
      const seconds = (WINDOW_BUCKETS * BUCKET_MS) / 1000;
      const lines = inWindow.reduce((n, b) => n + b.lines, 0);
      const bytes = inWindow.reduce((n, b) => n + b.bytes, 0);
      out.push({ tenant, lines_per_second: lines / seconds, bytes_per_second: bytes / seconds });
    }
    return out.sort((a, b) => (a.tenant < b.tenant ? -1 : a.tenant > b.tenant ? 1 : 0));
  }
}
