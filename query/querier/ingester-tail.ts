/**
 * The querier's side of the ingesters' live tail streams (`GET /ingester/internal/tail`,
 * FORMATS.md §8), as Loki's querier tails its ingesters (`L:pkg/querier/tail/tail.go`): one
 * stream per ingester, for the partitions it owns in the first zone that has an owner; a partition
 * whose stream ends (its ingester stopped, or lost it in a rebalance) is taken up again from its
 * owner at the next check. What arrives waits in one bounded inbox until the tail sends it; past
 * the bound, entries are reported as dropped, never silently lost. A stream that carries nothing,
 * not even the ingester's keep-alive, for a while is taken for dead and opened again; an ingester
 * that does not answer a new stream with its ready line in time is passed over like one that
 * refused it.
 */
import { FjordError } from '../../schemas/index.js';
import type { Label } from '../../schemas/labels/index.js';
import { withDeadline } from '../../platform/index.js';
import type { IngesterRing } from './ingester-ring.js';

/** One entry as the ingester sends it: timestamp (ns, decimal), line, structured metadata pairs. */
export type WireTailEntry = [string, string] | [string, string, Array<[string, string]>];

/** A batch of one stream's new entries. */
export interface IncomingBatch {
  readonly tenant: string;
  readonly labelsText: string;
  readonly entries: readonly WireTailEntry[];
}

/** Entries the tail could not keep. */
export interface DroppedEntry {
  readonly tenant: string;
  readonly labelsText: string;
  readonly tsNs: bigint;
}

/** Entries waiting in the inbox at most (beyond, they are dropped and reported). */
const MAX_WAITING_ENTRIES = 200_000;
/** Dropped entries reported at most per take (Loki's maxDroppedEntriesPerTailResponse). */
const MAX_DROPPED = 1000;
/** How long an ingester that refused a tail stream is passed over for the next zone's owner. */
const FAILED_ADDRESS_MS = 10_000;
/** A tail stream silent this long (the ingester writes a keep-alive every 5 s) is dropped and opened again. */
const SILENT_STREAM_MS = 20_000;
/** How long an ingester has to answer a tail with its ready line (it writes it at once) before it is passed over. */
export const READY_WAIT_MS = 5_000;
/** How long the querier waits for an ingester's count of live tails. */
const TAILERS_COUNT_TIMEOUT_MS = 3000;

/** What the ingester streams, after the ready line. */
interface WireLine {
  readonly labels?: string;
  readonly entries?: WireTailEntry[];
  readonly dropped?: Array<[string, string]>;
}

/** Where the tail streams of one live tail deliver. */
export class TailInbox {
  constructor(
    /** Entries waiting at most; more are dropped and reported. */
    private readonly maxWaiting = MAX_WAITING_ENTRIES,
  ) {}

  private batches: IncomingBatch[] = [];
  private waiting = 0;
  private dropped: DroppedEntry[] = [];
  private wake: (() => void) | null = null;

  push(batch: IncomingBatch): void {
    if (this.waiting + batch.entries.length > this.maxWaiting) {
      for (const e of batch.entries) this.drop({ tenant: batch.tenant, labelsText: batch.labelsText, tsNs: BigInt(e[0]) });
    } else {
      this.batches.push(batch);
      this.waiting += batch.entries.length;
    }
    this.notify();
  }

  drop(d: DroppedEntry): void {
    if (this.dropped.length < MAX_DROPPED) this.dropped.push(d);
    this.notify();
  }

  private notify(): void {
    const w = this.wake;
    this.wake = null;
    w?.();
  }

  /** Everything waiting, once something is (empty when the signal aborts first). */
  async take(signal: AbortSignal): Promise<{ batches: IncomingBatch[]; dropped: DroppedEntry[] }> {
    while (this.batches.length === 0 && this.dropped.length === 0 && !signal.aborted) {
      await new Promise<void>((resolve) => {
        this.wake = resolve;
        signal.addEventListener('abort', () => resolve(), { once: true });
      });
    }
    const out = { batches: this.batches, dropped: this.dropped };
    this.batches = [];
    this.dropped = [];
    this.waiting = 0;
    return out;
  }
}

async function* lines(body: ReadableStream<Uint8Array>): AsyncIterable<string> {
  const decoder = new TextDecoder();
  let rest = '';
  for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
    rest += decoder.decode(chunk, { stream: true });
    let nl: number;
    while ((nl = rest.indexOf('\n')) >= 0) {
      const line = rest.slice(0, nl);
      rest = rest.slice(nl + 1);
      if (line !== '') yield line;
    }
  }
}

/** The tail streams of one tenant for one live tail. */
export class IngesterTailFeeds {
  /** Partitions a stream is open for. */
  private readonly covered = new Set<number>();
  private readonly failed = new Map<string, number>();
  private connecting: Promise<void> | null = null;

  constructor(
    private readonly ring: IngesterRing,
    private readonly tenant: string,
    /** Equality matchers for the ingesters' pre-filter. */
    private readonly matchers: ReadonlyArray<readonly [string, string]>,
    private readonly inbox: TailInbox,
    private readonly signal: AbortSignal,
  ) {}

  /** Open streams for every owned partition not covered yet; resolves once each new stream is ready. Throws when the ring cannot be read. */
  connect(): Promise<void> {
    this.connecting ??= this.connectUncovered(true).finally(() => (this.connecting = null));
    return this.connecting;
  }

  /** With `retry`, partitions an ingester no longer owned (its view was stale) are asked of the fresh view's owners at once. */
  private async connectUncovered(retry: boolean): Promise<void> {
    const view = await this.ring.view(this.signal);
    const now = Date.now();
    for (const [addr, at] of this.failed) if (now - at > FAILED_ADDRESS_MS) this.failed.delete(addr);
    const byAddress = new Map<string, number[]>();
    for (const [p, owners] of view.owners) {
      if (this.covered.has(p)) continue;
      const addr = owners.find((a) => a !== undefined && !this.failed.has(a)) ?? owners.find((a) => a !== undefined);
      if (addr !== undefined) byAddress.set(addr, [...(byAddress.get(addr) ?? []), p]);
    }
    const complete = await Promise.all([...byAddress].map(([addr, partitions]) => this.open(addr, partitions)));
    if (retry && complete.includes(false)) await this.connectUncovered(false);
  }

  /** Open one stream; false when the ingester refused it or fed fewer partitions than asked. */
  private async open(addr: string, partitions: readonly number[]): Promise<boolean> {
    const q = new URLSearchParams({ tenant: this.tenant, partitions: partitions.join(',') });
    for (const [n, v] of this.matchers) q.append('match', `${n}=${v}`);
    let stream: AsyncIterator<string>;
    let mine: number[];
    const own = new AbortController();
    // An ingester that takes the connection and never answers would hold every later connect.
    const notReady = setTimeout(() => own.abort(), READY_WAIT_MS);
    try {
      const res = await fetch(`${addr}/ingester/internal/tail?${q}`, { signal: AbortSignal.any([this.signal, own.signal]) });
      if (!res.ok || res.body === null) throw new FjordError('log_unavailable', `${res.status} ${(await res.text()).trim()}`);
      stream = lines(res.body)[Symbol.asyncIterator]();
      const first = await stream.next();
      if (first.done) throw new FjordError('log_unavailable', 'the tail stream ended before it was ready');
      mine = (JSON.parse(first.value) as { partitions: number[] }).partitions;
    } catch {
      if (this.signal.aborted) return true;
      this.failed.set(addr, Date.now());
      this.ring.invalidate();
      return false;
    } finally {
      clearTimeout(notReady);
    }
    for (const p of mine) this.covered.add(p);
    void this.read(stream, mine, own);
    if (mine.length === partitions.length) return true;
    this.ring.invalidate();
    return false;
  }

  private async read(stream: AsyncIterator<string>, partitions: readonly number[], own: AbortController): Promise<void> {
    let heard = true;
    const watch = setInterval(() => {
      if (!heard) own.abort();
      heard = false;
    }, SILENT_STREAM_MS);
    try {
      for (let r = await stream.next(); !r.done; r = await stream.next()) {
        heard = true;
        const line = JSON.parse(r.value) as WireLine;
        if (line.labels !== undefined && line.entries !== undefined) this.inbox.push({ tenant: this.tenant, labelsText: line.labels, entries: line.entries });
        for (const [labelsText, ts] of line.dropped ?? []) this.inbox.drop({ tenant: this.tenant, labelsText, tsNs: BigInt(ts) });
      }
    } catch {
      // The ingester went away; its partitions are taken up again at the next check.
    } finally {
      clearInterval(watch);
      own.abort();
      for (const p of partitions) this.covered.delete(p);
      if (!this.signal.aborted) this.ring.invalidate();
    }
  }
}

/**
 * The most live tails any ingester feeds for `tenant` (Loki's querier asks every ingester's
 * `TailersCount` and takes the largest); an ingester that does not answer in time counts 0.
 */
export async function largestTailerCount(ring: IngesterRing, tenant: string, signal: AbortSignal): Promise<number> {
  const view = await ring.view(signal);
  const addresses = new Set<string>();
  for (const owners of view.owners.values()) for (const a of owners) if (a !== undefined) addresses.add(a);
  const q = new URLSearchParams({ tenant });
  const counts = await Promise.all([...addresses].map(async (addr) => {
    try {
      return await withDeadline(signal, TAILERS_COUNT_TIMEOUT_MS, async (bounded) => {
        const res = await fetch(`${addr}/ingester/internal/tailers?${q}`, { signal: bounded });
        return res.ok ? ((await res.json()) as { count: number }).count : 0;
      });
    } catch {
      return 0;
    }
  }));
  return Math.max(0, ...counts);
}

/** Structured metadata pairs of a wire entry as labels. */
export function wireMetadata(e: WireTailEntry): Label[] {
  return e.length === 3 ? e[2].map(([name, value]) => ({ name, value })) : [];
}
