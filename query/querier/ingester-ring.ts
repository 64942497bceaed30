/**
 * Where queriers find the ingesters: Kafka is the ring. Every consumer group `fjord-ingester-<zone>`
 * is a zone; its members carry their HTTP address as client id and own partitions. The view is
 * cached for a few seconds.
 */
import { ingesterGroupPrefix, type LogAdmin } from '../../platform/index.js';

/** Owner addresses of each partition, one per zone, in zone order. */
export interface RingView {
  readonly zones: readonly string[];
  /** partition → addresses (index = zone position; absent when that zone has no owner). */
  readonly owners: ReadonlyMap<number, ReadonlyArray<string | undefined>>;
}

const TTL_MS = 3000;

/** Reads and caches the ingester ring from the log's consumer groups. */
export class IngesterRing {
  private cached: { at: number; view: RingView } | null = null;

  constructor(
    private readonly log: LogAdmin,
    /** `kafka_config.consumer_group`. */
    private readonly groupPrefix: string,
  ) {}

  async view(signal?: AbortSignal): Promise<RingView> {
    const now = Date.now();
    if (this.cached && now - this.cached.at < TTL_MS) return this.cached.view;
    const prefix = ingesterGroupPrefix(this.groupPrefix);
    const groups = await this.log.listGroups(prefix, signal);
    const owners = new Map<number, Array<string | undefined>>();
    const zones: string[] = [];
    for (const group of groups) {
      const desc = await this.log.describeGroup(group, signal);
      if (!desc.members.some((m) => m.partitions.length > 0)) continue;
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
    const view = { zones, owners };
    this.cached = { at: now, view };
    return view;
  }

  /** Forget the cached view (after an ingester did not answer). */
  invalidate(): void {
    this.cached = null;
  }
}
