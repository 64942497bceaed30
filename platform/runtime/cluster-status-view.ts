/**
 * The shape of `GET /status/api` and the pure function that assembles it from what was gathered
 * (cluster-status.ts): the processes' own reports, the consumer groups, the log's offsets and the
 * index bundles in the store. The status page at `/status` reads this JSON; its shape is documented
 * in README.md ("Cluster status") and only grows (fields are added, never renamed or removed).
 */
import type { CompactionRoundReport, ProcessReport, TenantRate } from './process-status.js';

/** A process of the cluster. */
export interface StatusProcess {
  readonly address: string;
  /** The consumer groups it is a member of (ingester zones, compactors, rulers). */
  readonly groups: readonly string[];
  /** Null when the process did not answer (then `error` says why). */
  readonly target: string | null;
  readonly version: string | null;
  readonly ready: boolean;
  readonly not_ready_reason: string | null;
  readonly modules: ReadonlyArray<{ readonly name: string; readonly state: string }>;
  readonly error: string | null;
}

/** One zone's view of a partition. */
export interface StatusPartitionZone {
  readonly zone: string;
  /** Address of the owning ingester; null when nobody in the zone owns the partition. */
  readonly owner: string | null;
  /** Next offset the owner will consume; null when unknown (no owner, or it did not answer). */
  readonly consumed_offset: number | null;
  /** Everything before this offset is in the store: what the owner could commit now, else the group's commit. */
  readonly durable_offset: number | null;
  /** The zone group's committed offset; null before the first commit. */
  readonly committed_offset: number | null;
  readonly lag_records: number | null;
  /** 0 when caught up; else how long ago the last consumed record was written. */
  readonly lag_seconds: number | null;
  readonly replaying: boolean;
}

/** One partition of the topic. */
export interface StatusPartition {
  readonly partition: number;
  readonly start_offset: number;
  readonly end_offset: number;
  readonly zones: readonly StatusPartitionZone[];
}

/** Index bundles of one period (table) in the store. */
export interface StatusIndexPeriod {
  /** Days since the epoch (the `<period>` of `index/<period>/<tenant>/…`). */
  readonly period: number;
  /** The period's first moment (RFC 3339); it lasts 24 h. */
  readonly start: string;
  readonly tenants: number;
  readonly bundles: number;
  readonly bytes: number;
}

/** The whole answer of `/status/api`. */
export interface ClusterStatus {
  /** When it was assembled (RFC 3339). */
  readonly time: string;
  readonly log: { readonly kind: string; readonly topic: string };
  /** Sorted by address. */
  readonly processes: readonly StatusProcess[];
  /** Sorted by partition; empty when this process runs no partitioned log. */
  readonly partitions: readonly StatusPartition[];
  readonly compactor: { readonly leader: string | null; readonly last_round: CompactionRoundReport | null };
  /** Sorted by period; null when this process has no object store. */
  readonly index: { readonly periods: readonly StatusIndexPeriod[] } | null;
  /** Ingestion rate per tenant (one zone's view: every zone consumes everything), by bytes descending. */
  readonly tenants: readonly TenantRate[];
  /** What could not be gathered (a group that could not be described, a listing that failed). */
  readonly errors: readonly string[];
}

/** A zone: its consumer group's members and commits. */
export interface GatheredZone {
  readonly zone: string;
  /** partition → owner address. */
  readonly owners: ReadonlyMap<number, string>;
  readonly committed: ReadonlyMap<number, number>;
}

/** What cluster-status.ts gathered. */
export interface GatheredStatus {
  readonly nowMs: number;
  readonly log: { readonly kind: string; readonly topic: string };
  /** address → groups it is in. */
  readonly members: ReadonlyMap<string, readonly string[]>;
  /** address → its report, or why there is none. */
  readonly reports: ReadonlyMap<string, ProcessReport | { readonly error: string }>;
  readonly offsets: ReadonlyArray<{ readonly partition: number; readonly start: number; readonly end: number }>;
  readonly zones: readonly GatheredZone[];
  /** One entry per bundle object: its period and tenant and size; null when not listed. */
  readonly bundles: ReadonlyArray<{ readonly period: number; readonly tenant: string; readonly bytes: number }> | null;
  readonly errors: readonly string[];
}

const DAY_MS = 86_400_000;

function isReport(r: ProcessReport | { readonly error: string } | undefined): r is ProcessReport {
  return r !== undefined && !('error' in r);
}

function zoneView(g: GatheredStatus, zone: GatheredZone, partition: number, end: number): StatusPartitionZone {
  const owner = zone.owners.get(partition) ?? null;
  const committed = zone.committed.get(partition) ?? null;
  const report = owner === null ? undefined : g.reports.get(owner);
  const own = isReport(report) ? report.ingester?.partitions.find((p) => p.partition === partition) : undefined;
  if (!own) {
    return { zone: zone.zone, owner, consumed_offset: null, durable_offset: committed, committed_offset: committed, lag_records: null, lag_seconds: null, replaying: false };
  }
  const lag = Math.max(0, end - own.consumed_offset);
  const lagSeconds = lag === 0 ? 0 : own.last_record_ms === null ? null : Math.max(0, (g.nowMs - own.last_record_ms) / 1000);
  return {
    zone: zone.zone, owner, consumed_offset: own.consumed_offset, durable_offset: own.durable_offset, committed_offset: committed,
    lag_records: lag, lag_seconds: lagSeconds, replaying: own.replaying,
  };
}

function tenantRates(g: GatheredStatus): TenantRate[] {
  // Every zone consumes every partition, so one zone's ingesters see every tenant once: take the
  // zone whose owners report the most bytes (a zone that is down or behind reports less).
  let best: TenantRate[] = [];
  let bestBytes = -1;
  for (const zone of g.zones) {
    const sums = new Map<string, { lines: number; bytes: number }>();
    for (const owner of new Set(zone.owners.values())) {
      const r = g.reports.get(owner);
      if (!isReport(r) || !r.ingester) continue;
      for (const t of r.ingester.tenants) {
        const s = sums.get(t.tenant) ?? { lines: 0, bytes: 0 };
        s.lines += t.lines_per_second;
        s.bytes += t.bytes_per_second;
        sums.set(t.tenant, s);
      }
    }
    const list = [...sums].map(([tenant, s]) => ({ tenant, lines_per_second: s.lines, bytes_per_second: s.bytes }));
    const total = list.reduce((n, t) => n + t.bytes_per_second, 0);
    if (total > bestBytes) {
      best = list;
      bestBytes = total;
    }
  }
  return best.sort((a, b) => b.bytes_per_second - a.bytes_per_second || (a.tenant < b.tenant ? -1 : 1));
}

function indexPeriods(bundles: NonNullable<GatheredStatus['bundles']>): StatusIndexPeriod[] {
  const by = new Map<number, { tenants: Set<string>; bundles: number; bytes: number }>();
  for (const b of bundles) {
    const p = by.get(b.period) ?? { tenants: new Set<string>(), bundles: 0, bytes: 0 };
    p.tenants.add(b.tenant);
    p.bundles++;
    p.bytes += b.bytes;
    by.set(b.period, p);
  }
  return [...by].sort(([a], [b]) => a - b).map(([period, p]) => ({ period, start: new Date(period * DAY_MS).toISOString(), tenants: p.tenants.size, bundles: p.bundles, bytes: p.bytes }));
}

/** Assemble the cluster status. Pure. */
export function clusterStatus(g: GatheredStatus): ClusterStatus {
  const addresses = [...new Set([...g.members.keys(), ...g.reports.keys()])].sort();
  const processes: StatusProcess[] = addresses.map((address) => {
    const r = g.reports.get(address);
    const groups = [...(g.members.get(address) ?? [])].sort();
    if (isReport(r)) {
      return { address, groups, target: r.target, version: r.version, ready: r.ready, not_ready_reason: r.not_ready_reason, modules: r.modules, error: null };
    }
    return { address, groups, target: null, version: null, ready: false, not_ready_reason: null, modules: [], error: r?.error ?? 'not asked' };
  });
  const partitions: StatusPartition[] = [...g.offsets]
    .sort((a, b) => a.partition - b.partition)
    .map((o) => ({ partition: o.partition, start_offset: o.start, end_offset: o.end, zones: g.zones.map((z) => zoneView(g, z, o.partition, o.end)) }));
  let leader: string | null = null;
  let lastRound: CompactionRoundReport | null = null;
  for (const address of addresses) {
    const r = g.reports.get(address);
    if (isReport(r) && r.compactor?.leader) {
      leader = address;
      lastRound = r.compactor.last_round;
      break;
    }
  }
  return {
    time: new Date(g.nowMs).toISOString(),
    log: g.log,
    processes,
    partitions,
    compactor: { leader, last_round: lastRound },
    index: g.bundles === null ? null : { periods: indexPeriods(g.bundles) },
    tenants: tenantRates(g),
    errors: g.errors,
  };
}
