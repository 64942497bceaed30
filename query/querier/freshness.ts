/**
 * `GET /fjord/api/v1/freshness`: how far behind "now" a tenant's queries are. Per partition, each
 * owner's consumption against the log's end: caught up is 0 s behind; otherwise the age of the last
 * record the owner consumed (writes after it may not be seen yet). A partition counts its slowest
 * owner (a query may be answered by any zone). Every tenant's streams may sit on any partition, so
 * a tenant is as fresh as the slowest partition. Pure.
 */
import type { OwnerConsumption } from './write-position-gate.js';

/** One partition's freshness. */
export interface PartitionFreshness {
  readonly partition: number;
  readonly end_offset: number;
  /** The slowest owner's next offset to consume; null when no ingester owns the partition. */
  readonly consumed_offset: number | null;
  readonly lag_records: number | null;
  /** Null when unknown (no owner, or the owner has consumed nothing yet while records wait). */
  readonly behind_seconds: number | null;
}

/** The answer. */
export interface Freshness {
  readonly tenant: string;
  /** When this was measured (RFC 3339). */
  readonly time: string;
  /** The slowest partition's `behind_seconds`; null when any partition's is unknown. */
  readonly behind_seconds: number | null;
  /** Writes made before this moment are queryable (time minus behind_seconds); null when unknown. */
  readonly fresh_until: string | null;
  readonly partitions: readonly PartitionFreshness[];
}

function ownerBehind(c: OwnerConsumption, end: number, nowMs: number): number | null {
  if (c.consumed >= end) return 0;
  return c.lastRecordMs === null ? null : Math.max(0, (nowMs - c.lastRecordMs) / 1000);
}

/** Assemble the freshness of `tenant` from the log's end offsets and the owners' consumption. */
export function freshness(
  tenant: string,
  ends: ReadonlyArray<{ readonly partition: number; readonly end: number }>,
  consumption: ReadonlyMap<number, readonly OwnerConsumption[]>,
  nowMs: number,
): Freshness {
  const partitions: PartitionFreshness[] = [...ends].sort((a, b) => a.partition - b.partition).map(({ partition, end }) => {
    const owners = consumption.get(partition) ?? [];
    if (owners.length === 0) return { partition, end_offset: end, consumed_offset: null, lag_records: null, behind_seconds: null };
    const consumed = Math.min(...owners.map((o) => o.consumed));
    const behinds = owners.map((o) => ownerBehind(o, end, nowMs));
    const behind = behinds.includes(null) ? null : Math.max(...(behinds as number[]));
    return { partition, end_offset: end, consumed_offset: consumed, lag_records: Math.max(0, end - consumed), behind_seconds: behind };
  });
  const all = partitions.map((p) => p.behind_seconds);
  const behind = all.includes(null) ? null : Math.max(0, ...(all as number[]));
  return {
    tenant,
    time: new Date(nowMs).toISOString(),
    behind_seconds: behind,
    fresh_until: behind === null ? null : new Date(nowMs - behind * 1000).toISOString(),
    partitions,
  };
}
