/**
 * Where queriers find the ingesters: Kafka is the ring. Every consumer group `fjord-ingester-<zone>`
 * is a zone; its members carry their HTTP address as client id and own partitions. The view is
 * cached for a few seconds; a lookup that Kafka does not answer within a few seconds fails (or,
 * while a view no older than a minute is at hand, that view is used: the ingesters themselves
 * refuse partitions they no longer serve), so a query never waits on an unreachable broker.
 */
import { FjordError, errorMessage } from '../../schemas/index.js';
import { ingesterGroupPrefix, type LogAdmin } from '../../platform/index.js';

/** Owner addresses of each partition, one per zone, in zone order. */
export interface RingView {
  /** Partitions of the topic. */
  readonly partitions: number;
  readonly zones: readonly string[];
  /** The zones' consumer groups, in zone order. */
  readonly groups: readonly string[];
  /** partition → addresses (index = zone position; absent when that zone has no owner). */
  readonly owners: ReadonlyMap<number, ReadonlyArray<string | undefined>>;
}

const TTL_MS = 3000;
/** How old a view may be to stand in while Kafka does not answer. */
const STALE_MS = 60_000;
/** How long a query waits for Kafka to answer a ring lookup. */
export const RING_LOOKUP_TIMEOUT_MS = 3000;

/** `work`, or a log_unavailable error once `ms` have passed. */
async function bounded<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new FjordError('log_unavailable', `${what}: Kafka did not answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Reads and caches the ingester ring from the log's consumer groups. */
export class IngesterRing {
  private cached: { at: number; view: RingView } | null = null;

  constructor(
    private readonly log: LogAdmin,
    /** `kafka_config.consumer_group`. */
    private readonly groupPrefix: string,
    private readonly lookupTimeoutMs = RING_LOOKUP_TIMEOUT_MS,
  ) {}

  async view(signal?: AbortSignal): Promise<RingView> {
    const now = Date.now();
    if (this.cached && now - this.cached.at < TTL_MS) return this.cached.view;
    try {
      const view = await bounded(this.read(signal), this.lookupTimeoutMs, 'cannot find the ingesters');
      this.cached = { at: now, view };
      return view;
    } catch (err) {
      if (this.cached && now - this.cached.at < STALE_MS) return this.cached.view;
      throw err instanceof FjordError ? err : new FjordError('log_unavailable', `cannot find the ingesters: ${errorMessage(err)}`, { cause: err });
    }
  }

  private async read(signal?: AbortSignal): Promise<RingView> {
    const prefix = ingesterGroupPrefix(this.groupPrefix);
    const [groups, offsets] = await Promise.all([this.log.listGroups(prefix, signal), this.log.offsets(signal)]);
    const owners = new Map<number, Array<string | undefined>>();
    const zones: string[] = [];
    for (const group of groups) {
      const desc = await this.log.describeGroup(group, signal);
      const z = zones.length;
      zones.push(group.slice(prefix.length));
      for (const m of desc.members) {
        for (const p of m.partitions) {
          const list = owners.get(p) ?? [];
          list[z] = m.clientId;
          owners.set(p, list);
        }
      }
    }
    return { partitions: offsets.length, zones, groups, owners };
  }

  /**
   * Of `partitions`, those holding records not yet durable in the store: their end offset now is
   * past every zone's committed offset and their start (a fully committed or empty partition needs
   * no ingester).
   */
  async notDurable(partitions: readonly number[], signal?: AbortSignal): Promise<number[]> {
    const view = await this.view(signal);
    const work = (async () => {
      const [offsets, committed] = await Promise.all([
        this.log.offsets(signal),
        Promise.all(view.groups.map((g) => this.log.committedOffsets(g, signal))),
      ]);
      const byPartition = new Map(offsets.map((o) => [o.partition, o]));
      return partitions.filter((p) => {
        const o = byPartition.get(p);
        return o !== undefined && Math.max(o.start, ...committed.map((c) => c.get(p) ?? -1)) < o.end;
      });
    })();
    return bounded(work, this.lookupTimeoutMs, 'cannot read the committed offsets');
  }

  /** Forget the cached view (after an ingester did not answer). */
  invalidate(): void {
    this.cached = null;
  }
}
