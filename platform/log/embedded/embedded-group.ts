/**
 * A consumer group of the embedded log, coordinated in this process: members get contiguous
 * ranges of partitions; on every join or leave the partitions that move are first revoked from
 * their old owner (its in-flight batch finished, `onRevoked` awaited), then assigned to the new one,
 * which resumes from the committed offset.
 */
import { FjordError, errorMessage } from '../../../schemas/index.js';
import type { Logger } from '../../logger.js';
import type { GroupDescription, GroupHandler, GroupMembership, LogRecord } from '../partitioned-log.js';
import type { GroupOffsetStore } from './group-offsets.js';
import type { PartitionSegments } from './partition-segments.js';

const FETCH_MAX_BYTES = 4 * 1024 * 1024;
const IDLE_WAIT_MS = 1000;
const RETRY_BACKOFF_MS = 1000;

/** Consumes one partition for one member until stopped. */
class PartitionLoop {
  private stopped = false;
  private position: number;
  private readonly abort = new AbortController();
  readonly done: Promise<void>;

  constructor(
    private readonly partition: number,
    start: number,
    private readonly segments: PartitionSegments,
    private readonly handler: GroupHandler,
    private readonly logger: Logger,
  ) {
    this.position = start;
    this.done = this.run();
  }

  seek(offset: number): void {
    this.position = offset;
  }

  private async run(): Promise<void> {
    while (!this.stopped && !this.segments.isClosed()) {
      const at = this.position;
      let stored;
      try {
        stored = await this.segments.read(at, FETCH_MAX_BYTES);
      } catch (err) {
        if (this.segments.isClosed()) return;
        this.logger.error({ partition: this.partition, offset: at, err }, `read failed, retrying: ${errorMessage(err)}`);
        await new Promise((r) => setTimeout(r, RETRY_BACKOFF_MS));
        continue;
      }
      if (this.stopped) return;
      if (stored.length === 0) {
        await this.segments.waitFor(at, IDLE_WAIT_MS, this.abort.signal);
        continue;
      }
      const records: LogRecord[] = stored.map((r) => ({ partition: this.partition, ...r }));
      try {
        await this.handler.onBatch(this.partition, records, this.segments.nextOffset());
        if (this.position === at) this.position = (records[records.length - 1] as LogRecord).offset + 1;
      } catch (err) {
        this.logger.error({ partition: this.partition, offset: at, err }, `batch handler failed, retrying: ${errorMessage(err)}`);
        await new Promise((r) => setTimeout(r, RETRY_BACKOFF_MS));
      }
    }
  }

  /** Stop after the batch in flight, if any. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.abort.abort();
    await this.done;
  }
}

interface Member {
  readonly id: string;
  readonly clientId: string;
  readonly handler: GroupHandler;
  readonly loops: Map<number, PartitionLoop>;
}

/** One consumer group over a topic's partitions. */
export class EmbeddedGroup {
  private readonly members: Member[] = [];
  private rebalancing: Promise<void> = Promise.resolve();
  private nextMemberId = 0;

  constructor(
    readonly groupId: string,
    private readonly partitions: readonly PartitionSegments[],
    private readonly offsets: GroupOffsetStore,
    private readonly logger: Logger,
  ) {}

  /** Add a member and rebalance; resolves once its first assignment has been handed over. */
  async join(clientId: string, handler: GroupHandler): Promise<GroupMembership> {
    const member: Member = { id: `${clientId}-${++this.nextMemberId}`, clientId, handler, loops: new Map() };
    this.members.push(member);
    await this.rebalance();
    return {
      memberId: member.id,
      commit: (offsets) => this.commit(member, offsets),
      seek: (partition, offset) => member.loops.get(partition)?.seek(offset),
      assigned: () => [...member.loops.keys()].sort((a, b) => a - b),
      leave: () => this.leave(member),
    };
  }

  private async leave(member: Member): Promise<void> {
    const i = this.members.indexOf(member);
    if (i < 0) return;
    this.members.splice(i, 1);
    await this.rebalance(member);
  }

  private async commit(member: Member, offsets: ReadonlyMap<number, number>): Promise<void> {
    for (const p of offsets.keys()) {
      if (!member.loops.has(p)) {
        throw new FjordError('log_unavailable', `cannot commit partition ${p} of group ${this.groupId}: not assigned to member ${member.id}`);
      }
    }
    await this.offsets.commit(this.groupId, offsets);
  }

  private rebalance(leaving?: Member): Promise<void> {
    const run = this.rebalancing.then(() => this.doRebalance(leaving));
    this.rebalancing = run.catch(() => undefined);
    return run;
  }

  private targetAssignment(): Map<Member, number[]> {
    const out = new Map<Member, number[]>();
    const n = this.partitions.length;
    const m = this.members.length;
    this.members.forEach((member, i) => {
      const from = Math.floor((i * n) / m);
      const to = Math.floor(((i + 1) * n) / m);
      out.set(member, Array.from({ length: to - from }, (_, k) => from + k));
    });
    return out;
  }

  private async doRebalance(leaving?: Member): Promise<void> {
    const target = this.targetAssignment();
    const all = leaving ? [...this.members, leaving] : [...this.members];
    await Promise.all(
      all.map(async (member) => {
        const keep = new Set(target.get(member) ?? []);
        const lost = [...member.loops.keys()].filter((p) => !keep.has(p)).sort((a, b) => a - b);
        if (lost.length === 0) return;
        await Promise.all(lost.map((p) => member.loops.get(p)?.stop()));
        try {
          await member.handler.onRevoked(lost);
        } catch (err) {
          this.logger.error({ group: this.groupId, err }, `onRevoked failed: ${errorMessage(err)}`);
        }
        for (const p of lost) member.loops.delete(p);
      }),
    );
    const committed = await this.offsets.load(this.groupId);
    await Promise.all(
      this.members.map(async (member) => {
        const gained = (target.get(member) ?? []).filter((p) => !member.loops.has(p));
        if (gained.length === 0) return;
        await member.handler.onAssigned(gained);
        for (const p of gained) {
          const segments = this.partitions[p] as PartitionSegments;
          const start = committed.get(p) ?? segments.startOffset();
          member.loops.set(p, new PartitionLoop(p, start, segments, member.handler, this.logger.child({ partition: p })));
        }
      }),
    );
  }

  /** Members and their partitions. */
  describe(): GroupDescription {
    return {
      groupId: this.groupId,
      state: this.members.length > 0 ? 'Stable' : 'Empty',
      members: this.members.map((m) => ({ memberId: m.id, clientId: m.clientId, partitions: [...m.loops.keys()].sort((a, b) => a - b) })),
    };
  }

  /** Every member leaves (their partitions revoked first). */
  async leaveAll(): Promise<void> {
    const members = [...this.members];
    this.members.length = 0;
    for (const m of members) await this.rebalance(m);
  }

  hasMembers(): boolean {
    return this.members.length > 0;
  }
}
