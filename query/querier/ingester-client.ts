/**
 * Asking the ingesters for recent data: every member of the first zone for its partitions, and for
 * any partition whose owner does not answer (or answers that it does not serve it: not owned any
 * more, or still replaying), that partition's owner in the next zone. A partition of the topic no
 * zone can answer for fails the query with 503, unless everything it holds is already committed
 * (then the store has it all): its recent data exists nowhere else yet. With
 * `querier.allow_partial_ingester_answers` on, a caller whose answer can carry a warning passes a
 * set that such partitions are added to instead, and answers without them.
 */
import { FjordError, errorMessage } from '../../schemas/index.js';
import type { FjordConfig } from '../../schemas/config/index.js';
import { formatShard, type Shard } from '../../schemas/labels/index.js';
import { decodeChunkList } from '../../schemas/record/index.js';
import type { QueryStats } from '../engine/query-backend.js';
import { withDeadline } from '../../platform/index.js';
import type { IngesterRing } from './ingester-ring.js';

/**
 * What the querier asks the ingesters for: a tenant's streams that match equality matchers, in
 * [startNs, endNs), and only those in `shard` when one is given.
 */
export interface RecentRequest {
  readonly tenant: string;
  readonly matchers: ReadonlyArray<readonly [string, string]>;
  readonly startNs: bigint;
  readonly endNs: bigint;
  readonly shard: Shard | null;
}

/** One stream's pattern series as an ingester sends them (FORMATS.md §8). */
export interface IngesterStreamPatterns {
  readonly labels: string;
  readonly series: ReadonlyArray<{ readonly pattern: string; readonly level: string; readonly samples: ReadonlyArray<readonly [number, number]> }>;
}

const TIMEOUT_MS = 30_000;

function query(r: RecentRequest, partitions: readonly number[], extra: Readonly<Record<string, string>>): string {
  const q = new URLSearchParams({ tenant: r.tenant, start: String(r.startNs), end: String(r.endNs), partitions: partitions.join(','), ...extra });
  for (const [n, v] of r.matchers) q.append('match', `${n}=${v}`);
  if (r.shard !== null) q.set('shard', formatShard(r.shard));
  return q.toString();
}

/** The querier's client of the ingesters' recent-data API. */
export class IngesterClient {
  constructor(
    private readonly ring: IngesterRing,
    private readonly cfg: FjordConfig['querier'],
  ) {}

  private async fanOut<T>(
    path: string, r: RecentRequest, read: (res: Response) => Promise<T>, stats: QueryStats, signal: AbortSignal,
    opts: { readonly extra?: Readonly<Record<string, string>>; readonly missing?: Set<number> } = {},
  ): Promise<T[]> {
    const view = await this.ring.view(signal);
    const out: T[] = [];
    let lastError = '';
    let pending = Array.from({ length: view.partitions }, (_, p) => p);
    for (let zone = 0; zone < view.zones.length && pending.length > 0; zone++) {
      const byAddress = new Map<string, number[]>();
      const unowned: number[] = [];
      for (const p of pending) {
        const addr = view.owners.get(p)?.[zone];
        if (addr) byAddress.set(addr, [...(byAddress.get(addr) ?? []), p]);
        else unowned.push(p);
      }
      const failed: number[] = [...unowned];
      await Promise.all(
        [...byAddress].map(async ([addr, partitions]) => {
          try {
            out.push(await withDeadline(signal, TIMEOUT_MS, async (bounded) => {
              const res = await fetch(`${addr}${path}?${query(r, partitions, opts.extra ?? {})}`, { signal: bounded });
              if (!res.ok) throw new Error(`${res.status} ${(await res.text()).trim()}`);
              return read(res);
            }));
            stats.ingestersReached++;
          } catch (err) {
            if (signal.aborted) throw err;
            this.ring.invalidate();
            failed.push(...partitions);
            lastError = `${addr}: ${errorMessage(err)}`;
          }
        }),
      );
      pending = failed;
    }
    if (pending.length > 0) {
      const missing = await this.ring.notDurable(pending, signal);
      if (missing.length > 0 && opts.missing !== undefined && this.cfg.allow_partial_ingester_answers) {
        for (const p of missing) opts.missing.add(p);
      } else if (missing.length > 0) {
        throw new FjordError('log_unavailable', `no caught-up ingester in any zone for partitions ${missing.join(',')} (${lastError || 'no owner'}); retry later`);
      }
    }
    return out;
  }

  /**
   * Chunk objects of the matching streams' recent data, from every partition; `missing` (when
   * given, and partial answers are allowed) gets the partitions answered without.
   */
  async chunks(r: RecentRequest, stats: QueryStats, signal: AbortSignal, missing?: Set<number>): Promise<Uint8Array[]> {
    const read = async (res: Response) => decodeChunkList(new Uint8Array(await res.arrayBuffer()));
    const lists = await this.fanOut('/ingester/internal/chunks', r, read, stats, signal, missing === undefined ? {} : { missing });
    return lists.flat();
  }

  /** Label texts of the matching streams with recent data. */
  async series(r: RecentRequest, stats: QueryStats, signal: AbortSignal): Promise<string[]> {
    const lists = await this.fanOut('/ingester/internal/series', r, async (res) => ((await res.json()) as { series: string[] }).series, stats, signal);
    return [...new Set(lists.flat())];
  }

  /** The matching streams' pattern series in the range, by `stepNs`, from every partition. */
  async patterns(r: RecentRequest, stepNs: bigint, stats: QueryStats, signal: AbortSignal): Promise<IngesterStreamPatterns[]> {
    const lists = await this.fanOut('/ingester/internal/patterns', r, async (res) => ((await res.json()) as { streams: IngesterStreamPatterns[] }).streams, stats, signal, { extra: { step: String(stepNs) } });
    return lists.flat();
  }

  /** True when the range reaches into the window ingesters are asked about (`query_ingesters_within`). */
  covers(endNs: bigint, nowNs: bigint): boolean {
    return this.cfg.query_ingesters_within === 0 || endNs > nowNs - BigInt(this.cfg.query_ingesters_within) * 1_000_000n;
  }
}

