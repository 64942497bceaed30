/**
 * Gathers the cluster status (`GET /status/api`): the processes from the consumer groups (every
 * member's client id is its HTTP address) and this process itself, each asked for its own report
 * (`/status/api/process`); the topic's offsets and every zone's owners and commits; the index
 * bundles in the store. cluster-status-view.ts assembles the answer.
 */
import { errorMessage } from '../../schemas/index.js';
import { parseIndexBundleKey } from '../../schemas/index/index.js';
import { ingesterGroupPrefix, type LogAdmin } from '../log/index.js';
import { listAll, type ObjectStore } from '../store/index.js';
import { clusterStatus, type ClusterStatus, type GatheredZone } from './cluster-status-view.js';
import { withDeadline } from '../deadline.js';
import type { ProcessReport } from './process-status.js';

/** What the gatherer reads. */
export interface ClusterStatusDeps {
  /** The log's admin side, or null when this process runs no partitioned log. */
  readonly log: (LogAdmin & { readonly kind: string; readonly topic: string }) | null;
  readonly store: ObjectStore | null;
  /** `kafka_config.consumer_group`: every Fjord group id starts with it. */
  readonly groupPrefix: string;
  /** This process's own report. */
  readonly self: () => ProcessReport;
  readonly now: () => number;
}

/** How long a process has to send its report. */
const REPORT_TIMEOUT_MS = 2000;

async function fetchReport(address: string, signal: AbortSignal): Promise<ProcessReport | { error: string }> {
  try {
    return await withDeadline(signal, REPORT_TIMEOUT_MS, async (bounded) => {
      const res = await fetch(`${address}/status/api/process`, { signal: bounded });
      if (!res.ok) return { error: `${res.status} ${(await res.text()).trim()}` };
      return (await res.json()) as ProcessReport;
    });
  } catch (err) {
    return { error: errorMessage(err) };
  }
}

const isAddress = (s: string): boolean => s.startsWith('http://') || s.startsWith('https://');

/** Gather and assemble the cluster status. */
export async function gatherClusterStatus(deps: ClusterStatusDeps, signal: AbortSignal): Promise<ClusterStatus> {
  const errors: string[] = [];
  const members = new Map<string, string[]>();
  const zones: GatheredZone[] = [];
  let offsets: Array<{ partition: number; start: number; end: number }> = [];
  const log = deps.log;
  if (log) {
    const zonePrefix = ingesterGroupPrefix(deps.groupPrefix);
    let groups: string[] = [];
    try {
      [groups, offsets] = await Promise.all([log.listGroups(`${deps.groupPrefix}-`, signal), log.offsets(signal)]);
    } catch (err) {
      errors.push(`log: ${errorMessage(err)}`);
    }
    for (const group of groups) {
      try {
        const [desc, committed] = await Promise.all([
          log.describeGroup(group, signal),
          group.startsWith(zonePrefix) ? log.committedOffsets(group, signal) : Promise.resolve(new Map<number, number>()),
        ]);
        const owners = new Map<number, string>();
        for (const m of desc.members) {
          if (!isAddress(m.clientId)) continue;
          members.set(m.clientId, [...(members.get(m.clientId) ?? []), group]);
          for (const p of m.partitions) owners.set(p, m.clientId);
        }
        if (group.startsWith(zonePrefix) && (desc.members.length > 0 || committed.size > 0)) zones.push({ zone: group.slice(zonePrefix.length), owners, committed });
      } catch (err) {
        errors.push(`group ${group}: ${errorMessage(err)}`);
      }
    }
  }
  const self = deps.self();
  const reports = new Map<string, ProcessReport | { error: string }>([[self.address, self]]);
  await Promise.all(
    [...members.keys()].filter((a) => a !== self.address).map(async (a) => reports.set(a, await fetchReport(a, signal))),
  );
  let bundles: Array<{ period: number; tenant: string; bytes: number }> | null = null;
  if (deps.store) {
    bundles = [];
    try {
      for await (const o of listAll(deps.store, 'index/', signal)) {
        try {
          const k = parseIndexBundleKey(o.key);
          bundles.push({ period: k.period, tenant: k.tenant, bytes: o.sizeBytes });
        } catch {
          // Not a bundle (a manifest or a stray object): not counted.
        }
      }
    } catch (err) {
      errors.push(`index listing: ${errorMessage(err)}`);
    }
  }
  return clusterStatus({
    nowMs: deps.now(),
    log: log ? { kind: log.kind, topic: log.topic } : { kind: 'none', topic: '' },
    members, reports, offsets, zones, bundles, errors,
  });
}
