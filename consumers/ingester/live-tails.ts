/**
 * The live tails an ingester feeds (Loki's ingester tailers, `L:pkg/ingester/tailer.go`): each
 * subscriber names a tenant, equality matchers (the querier applies the full selector and
 * pipeline) and the partitions it reads, and is handed every entry appended to a matching stream
 * as it is consumed — never replayed entries, which a tail saw from the previous owner. Pure: what
 * a subscriber does with a batch is its sink's business.
 */
import type { Labels } from '../../schemas/labels/index.js';
import type { PushEntry } from '../../schemas/record/index.js';
import type { EqualityMatchers } from './recent-data.js';

/** The entries of one stream appended by one record. */
export interface TailBatch {
  readonly partition: number;
  /** Canonical label text of the stream. */
  readonly labelsText: string;
  readonly entries: readonly PushEntry[];
}

/** One live tail. */
export interface TailSubscriber {
  readonly tenant: string;
  readonly matchers: EqualityMatchers;
  /** The partitions it reads. */
  readonly partitions: ReadonlySet<number>;
  /** Takes a batch; must not throw. */
  deliver(batch: TailBatch): void;
  /** The ingester no longer feeds it (a partition it reads was revoked, or the ingester stops). */
  end(reason: string): void;
}

function matches(labels: Labels, matchers: EqualityMatchers): boolean {
  for (const [name, value] of matchers) {
    if ((labels.find((x) => x.name === name)?.value ?? '') !== value) return false;
  }
  return true;
}

/** The subscribers of one ingester, by tenant. */
export class LiveTails {
  private readonly byTenant = new Map<string, Set<TailSubscriber>>();

  /** Add a subscriber; the returned function removes it. */
  subscribe(s: TailSubscriber): () => void {
    let set = this.byTenant.get(s.tenant);
    if (set === undefined) this.byTenant.set(s.tenant, (set = new Set()));
    set.add(s);
    return () => this.remove(s);
  }

  private remove(s: TailSubscriber): void {
    const set = this.byTenant.get(s.tenant);
    if (set?.delete(s) && set.size === 0) this.byTenant.delete(s.tenant);
  }

  /** True when some subscriber reads this tenant (appends skip collecting entries otherwise). */
  isTailed(tenant: string): boolean {
    return this.byTenant.has(tenant);
  }

  /** Hand the entries just appended to a stream to every subscriber it matches. */
  offer(tenant: string, labels: Labels, batch: TailBatch): void {
    const set = this.byTenant.get(tenant);
    if (set === undefined || batch.entries.length === 0) return;
    for (const s of set) if (s.partitions.has(batch.partition) && matches(labels, s.matchers)) s.deliver(batch);
  }

  /** End the subscribers reading any of `partitions` (they were revoked), or all when null. */
  endReading(partitions: readonly number[] | null, reason: string): void {
    for (const set of [...this.byTenant.values()]) {
      for (const s of [...set]) {
        if (partitions === null || partitions.some((p) => s.partitions.has(p))) {
          this.remove(s);
          s.end(reason);
        }
      }
    }
  }

  /** Live tails of one tenant (Loki's ingester `TailersCount`). */
  countFor(tenant: string): number {
    return this.byTenant.get(tenant)?.size ?? 0;
  }

  /** Number of live tails (Loki's `loki_ingester_tailers` analogue for tests and metrics). */
  get size(): number {
    let n = 0;
    for (const set of this.byTenant.values()) n += set.size;
    return n;
  }
}
