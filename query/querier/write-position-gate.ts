/**
 * Read-your-writes: holding a query until every ingester that serves the partitions of a write
 * position has consumed past it. The owners come from the ingester ring (every zone's owner of
 * each partition); each is asked, with one long-polling request, to answer once its partitions of
 * the position are consumed. An owner that no longer holds a partition (a hand-over) makes the
 * ring be read again. Past the deadline the query is refused with 503.
 */
import { FjordError, errorMessage } from '../../schemas/index.js';
import { encodeWritePosition, type WritePosition } from '../../schemas/record/index.js';
import { withDeadline, type LogAdmin } from '../../platform/index.js';
import { freshness, type Freshness } from './freshness.js';
import type { IngesterRing } from './ingester-ring.js';

/** One owner's consumption of one partition. */
export interface OwnerConsumption {
  readonly zone: string;
  readonly owner: string;
  readonly consumed: number;
  readonly end: number;
  readonly lastRecordMs: number | null;
}

interface ConsumedAnswer {
  readonly partitions: ReadonlyArray<{ partition: number; consumed_offset: number; end_offset: number; last_record_ms: number | null }>;
}

const RETRY_MS = 50;
/** Each owner request may wait this long beyond its own wait (the answer travelling back). */
const ANSWER_SLACK_MS = 2000;

/** Waits on the ingesters' consumption. */
export class WritePositionGate {
  constructor(
    private readonly ring: IngesterRing,
    private readonly log: LogAdmin,
  ) {}

  private async ask(owner: string, position: WritePosition | null, waitMs: number, signal: AbortSignal): Promise<ConsumedAnswer> {
    const q = new URLSearchParams({ wait_ms: String(Math.max(0, Math.round(waitMs))) });
    if (position !== null) q.set('position', encodeWritePosition(position));
    return withDeadline(signal, waitMs + ANSWER_SLACK_MS, async (bounded) => {
      const res = await fetch(`${owner}/ingester/internal/consumed?${q}`, { signal: bounded });
      if (!res.ok) throw new Error(`${res.status} ${(await res.text()).trim()}`);
      return (await res.json()) as ConsumedAnswer;
    });
  }

  /**
   * Resolve once every owner (in every zone) of each partition of `position` has consumed to its
   * offset; throw FjordError('write_position_not_reached') after `timeoutMs`.
   */
  async waitFor(position: WritePosition, timeoutMs: number, signal: AbortSignal): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let behind = '';
    for (;;) {
      const view = await this.ring.view(signal);
      const byOwner = new Map<string, Map<number, number>>();
      const unowned: number[] = [];
      for (const [p, offset] of position) {
        const owners = (view.owners.get(p) ?? []).filter((a): a is string => a !== undefined);
        if (owners.length === 0) unowned.push(p);
        for (const a of owners) byOwner.set(a, (byOwner.get(a) ?? new Map<number, number>()).set(p, offset));
      }
      const waitMs = Math.max(0, deadline - Date.now());
      const lagging: string[] = unowned.map((p) => `partition ${p} has no ingester`);
      await Promise.all(
        [...byOwner].map(async ([owner, wanted]) => {
          try {
            const got = new Map((await this.ask(owner, wanted, waitMs, signal)).partitions.map((c) => [c.partition, c.consumed_offset]));
            for (const [p, offset] of wanted) {
              const consumed = got.get(p);
              if (consumed === undefined) lagging.push(`partition ${p} is no longer on ${owner}`);
              else if (consumed < offset) lagging.push(`partition ${p} consumed to offset ${consumed} of ${offset} on ${owner}`);
            }
          } catch (err) {
            if (signal.aborted) throw err;
            lagging.push(`${owner}: ${errorMessage(err)}`);
          }
        }),
      );
      if (lagging.length === 0) return;
      behind = lagging.join('; ');
      this.ring.invalidate();
      if (Date.now() >= deadline) break;
      await new Promise((r) => setTimeout(r, Math.min(RETRY_MS, Math.max(0, deadline - Date.now()))));
    }
    throw new FjordError('write_position_not_reached', `write position not reached within ${timeoutMs}ms: ${behind}`);
  }

  /** How far behind now `tenant`'s queries are. */
  async freshness(tenant: string, signal: AbortSignal): Promise<Freshness> {
    const [offsets, consumption] = await Promise.all([this.log.offsets(signal), this.consumption(signal)]);
    return freshness(tenant, offsets, consumption, Date.now());
  }

  /** How far each owner of each partition has consumed, now. */
  async consumption(signal: AbortSignal): Promise<Map<number, OwnerConsumption[]>> {
    const view = await this.ring.view(signal);
    const owners = new Map<string, string>();
    for (const list of view.owners.values()) list.forEach((a, z) => a !== undefined && owners.set(a, view.zones[z] ?? ''));
    const out = new Map<number, OwnerConsumption[]>();
    for (const p of view.owners.keys()) out.set(p, []);
    await Promise.all(
      [...owners].map(async ([owner, zone]) => {
        const answer = await this.ask(owner, null, 0, signal);
        for (const c of answer.partitions) {
          if (view.owners.get(c.partition)?.includes(owner) !== true) continue;
          out.get(c.partition)?.push({ zone, owner, consumed: c.consumed_offset, end: c.end_offset, lastRecordMs: c.last_record_ms });
        }
      }),
    );
    return out;
  }
}
