/**
 * Which index bundles one compaction round rewrites, decided from a listing alone. A table (one
 * period of one tenant, Loki's per-tenant index table) is merged when it holds more than one
 * bundle, and rewritten for retention when some of its refs may be past the tenant's cutoff. Bundles
 * of the current period younger than `minBundleAgeMs` are left for a later round: an ingester keeps
 * uploading into the current period, and leaving the newest bundles alone keeps the merged bundle
 * (which every querier downloads again after each merge) from being rewritten for every upload.
 * Pure.
 */
import { indexPeriod, parseIndexBundleKey } from '../../schemas/index/index.js';
import type { ObjectInfo } from '../../platform/index.js';
import { periodMayExpire } from './retention.js';

/** An index bundle object as listed. */
export interface BundleObject {
  readonly key: string;
  readonly period: number;
  readonly tenant: string;
  readonly lastModifiedMs: number;
}

/** One table to rewrite. Inputs are sorted keys; the job's output replaces all of them. */
export type CompactionJob =
  /** Several bundles to merge into one; no ref can be past retention. */
  | { readonly kind: 'merge'; readonly period: number; readonly tenant: string; readonly inputs: readonly string[] }
  /** Bundles (one or more) whose refs before `cutoffNs` are dropped, merged into one. */
  | { readonly kind: 'retention'; readonly period: number; readonly tenant: string; readonly inputs: readonly string[]; readonly cutoffNs: bigint };

/** What the planner weighs besides the listing. */
export interface PlanOptions {
  readonly nowMs: number;
  /** Bundles of the current period younger than this are not touched this round. */
  readonly minBundleAgeMs: number;
  /** At most this many bundles go into one job (the oldest first); the rest wait for the next round. */
  readonly maxBundlesPerJob: number;
  /** The retention cutoff of a tenant in ns, or null when its data is kept. */
  retentionCutoffNs(tenant: string): bigint | null;
  /** The smallest chunk through of a bundle, when known from an earlier round (bundles are immutable). */
  minThroughNs(key: string): bigint | null | undefined;
}

/** The index bundles in a listing (other keys under `index/` are ignored). */
export function bundleObjects(objects: Iterable<ObjectInfo>): BundleObject[] {
  const out: BundleObject[] = [];
  for (const o of objects) {
    let parts;
    try {
      parts = parseIndexBundleKey(o.key);
    } catch {
      continue;
    }
    out.push({ key: o.key, period: parts.period, tenant: parts.tenant, lastModifiedMs: o.lastModifiedMs });
  }
  return out;
}

function mayHoldExpired(b: BundleObject, cutoffNs: bigint, opts: PlanOptions): boolean {
  const min = opts.minThroughNs(b.key);
  if (min === undefined) return true;
  return min !== null && min < cutoffNs;
}

/** The jobs of one round, by period then tenant. */
export function planCompaction(bundles: readonly BundleObject[], opts: PlanOptions): CompactionJob[] {
  const currentPeriod = indexPeriod(BigInt(Math.floor(opts.nowMs)) * 1_000_000n);
  const tables = new Map<string, BundleObject[]>();
  for (const b of bundles) {
    const id = `${b.period}\u0000${b.tenant}`;
    const list = tables.get(id);
    if (list) list.push(b);
    else tables.set(id, [b]);
  }
  const jobs: CompactionJob[] = [];
  for (const list of tables.values()) {
    const { period, tenant } = list[0] as BundleObject;
    const eligible = list
      .filter((b) => b.period < currentPeriod || opts.nowMs - b.lastModifiedMs >= opts.minBundleAgeMs)
      .sort((a, b) => a.lastModifiedMs - b.lastModifiedMs || (a.key < b.key ? -1 : 1))
      .slice(0, Math.max(1, opts.maxBundlesPerJob));
    if (eligible.length === 0) continue;
    const inputs = eligible.map((b) => b.key).sort();
    const cutoffNs = opts.retentionCutoffNs(tenant);
    if (cutoffNs !== null && periodMayExpire(period, cutoffNs) && eligible.some((b) => mayHoldExpired(b, cutoffNs, opts))) {
      jobs.push({ kind: 'retention', period, tenant, inputs, cutoffNs });
    } else if (eligible.length > 1) {
      jobs.push({ kind: 'merge', period, tenant, inputs });
    }
  }
  return jobs.sort((a, b) => a.period - b.period || (a.tenant < b.tenant ? -1 : a.tenant > b.tenant ? 1 : 0));
}
