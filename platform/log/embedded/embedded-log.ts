/**
 * The embedded partitioned log: Kafka's model in files under the data directory, for one process.
 * `<directory>/<topic>/topic.json` holds the partition count, `<p>/` the segments of partition p,
 * `groups/` the committed offsets of consumer groups.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FjordError } from '../../../schemas/index.js';
import type { Logger } from '../../logger.js';
import type {
  GroupDescription, GroupHandler, GroupMembership, LogRecord, PartitionLog, PartitionOffsets, ProduceRecord,
} from '../partitioned-log.js';
import { lockDirectory } from './dir-lock.js';
import { EmbeddedGroup } from './embedded-group.js';
import { GroupOffsetStore } from './group-offsets.js';
import { PartitionSegments, type SegmentOptions } from './partition-segments.js';

/** Settings of the embedded log. */
export interface EmbeddedLogOptions extends SegmentOptions {
  readonly directory: string;
  readonly topic: string;
  readonly autoCreatePartitions: number | null;
  readonly fsyncIntervalMs: number;
  readonly maxRecordBytes: number;
}

const READ_BATCH_BYTES = 4 * 1024 * 1024;
const RETENTION_CHECK_MS = 5 * 60_000;

/** PartitionLog on local segment files. */
export class EmbeddedLog implements PartitionLog {
  readonly kind = 'embedded';
  private partitions: PartitionSegments[] = [];
  private readonly groups = new Map<string, EmbeddedGroup>();
  private offsetStore: GroupOffsetStore;
  private release: (() => Promise<void>) | null = null;
  private timers: NodeJS.Timeout[] = [];

  constructor(
    private readonly opts: EmbeddedLogOptions,
    private readonly logger: Logger,
  ) {
    this.offsetStore = new GroupOffsetStore(join(this.topicDir(), 'groups'));
  }

  get topic(): string {
    return this.opts.topic;
  }

  private topicDir(): string {
    return join(this.opts.directory, this.opts.topic);
  }

  async start(): Promise<void> {
    await mkdir(this.topicDir(), { recursive: true });
    this.release = await lockDirectory(this.topicDir(), 'embedded log');
    const count = await this.readPartitionCount();
    if (count !== null) await this.openPartitions(count);
    else if (this.opts.autoCreatePartitions !== null) await this.createTopic(this.opts.autoCreatePartitions);
    else throw new FjordError('log_unavailable', `topic ${this.topic} does not exist in ${this.opts.directory}`);
    if (this.opts.fsync === 'interval') {
      this.timers.push(setInterval(() => void this.syncAll(), this.opts.fsyncIntervalMs));
    }
    this.timers.push(setInterval(() => void this.enforceRetention(), RETENTION_CHECK_MS));
    for (const t of this.timers) t.unref();
    await this.enforceRetention();
  }

  private async readPartitionCount(): Promise<number | null> {
    try {
      return (JSON.parse(await readFile(join(this.topicDir(), 'topic.json'), 'utf8')) as { partitions: number }).partitions;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
  }

  private async openPartitions(count: number): Promise<void> {
    const parts: PartitionSegments[] = [];
    for (let p = 0; p < count; p++) {
      parts.push(await PartitionSegments.open(join(this.topicDir(), String(p)), this.opts, this.logger.child({ partition: p })));
    }
    this.partitions = parts;
  }

  async createTopic(partitions: number): Promise<boolean> {
    if ((await this.readPartitionCount()) !== null) return false;
    await writeFile(join(this.topicDir(), 'topic.json'), JSON.stringify({ partitions }));
    await this.openPartitions(partitions);
    return true;
  }

  private async syncAll(): Promise<void> {
    for (const p of this.partitions) await p.sync().catch((err) => this.logger.error({ err }, 'embedded log fsync failed'));
  }

  private async enforceRetention(): Promise<void> {
    for (const p of this.partitions) await p.enforceRetention(Date.now());
  }

  async stop(): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    for (const g of this.groups.values()) await g.leaveAll();
    for (const p of this.partitions) await p.close();
    this.partitions = [];
    await this.release?.();
    this.release = null;
  }

  partitionCount(): number {
    return this.partitions.length;
  }

  maxRecordBytes(): number {
    return this.opts.maxRecordBytes;
  }

  private partition(p: number): PartitionSegments {
    const seg = this.partitions[p];
    if (!seg) throw new FjordError('invalid_argument', `partition ${p} does not exist (topic ${this.topic} has ${this.partitions.length})`);
    return seg;
  }

  async produce(partition: number, records: readonly ProduceRecord[]): Promise<number[]> {
    const seg = this.partition(partition);
    const now = Date.now();
    for (const r of records) {
      if (r.value.length > this.opts.maxRecordBytes) {
        throw new FjordError('log_record_too_large', `record of ${r.value.length} bytes exceeds the maximum of ${this.opts.maxRecordBytes}`);
      }
    }
    return seg.append(records.map((r) => ({ timestampMs: r.timestampMs ?? now, key: r.key ?? null, value: r.value, headers: r.headers ?? {} })));
  }

  async *read(partition: number, fromOffset: number, signal: AbortSignal): AsyncIterable<readonly LogRecord[]> {
    const seg = this.partition(partition);
    let position = fromOffset;
    while (!signal.aborted) {
      if (seg.isClosed()) throw new FjordError('log_closed', 'the embedded log is closed');
      const stored = await seg.read(position, READ_BATCH_BYTES);
      if (stored.length === 0) {
        await seg.waitFor(position, 1000, signal);
        continue;
      }
      position = (stored[stored.length - 1] as { offset: number }).offset + 1;
      yield stored.map((r) => ({ partition, ...r }));
    }
  }

  async offsets(): Promise<PartitionOffsets[]> {
    return this.partitions.map((p, partition) => ({ partition, start: p.startOffset(), end: p.nextOffset() }));
  }

  offsetForTime(partition: number, timestampMs: number): Promise<number> {
    return this.partition(partition).offsetForTime(timestampMs);
  }

  private group(groupId: string): EmbeddedGroup {
    let g = this.groups.get(groupId);
    if (!g) {
      g = new EmbeddedGroup(groupId, this.partitions, this.offsetStore, this.logger.child({ group: groupId }));
      this.groups.set(groupId, g);
    }
    return g;
  }

  joinGroup(groupId: string, clientId: string, handler: GroupHandler): Promise<GroupMembership> {
    return this.group(groupId).join(clientId, handler);
  }

  committedOffsets(groupId: string): Promise<Map<number, number>> {
    return this.offsetStore.load(groupId);
  }

  async setCommittedOffsets(groupId: string, offsets: ReadonlyMap<number, number>): Promise<void> {
    if (this.groups.get(groupId)?.hasMembers()) {
      throw new FjordError('invalid_argument', `group ${groupId} has active members; stop them before setting its offsets`);
    }
    await this.offsetStore.commit(groupId, offsets);
  }

  async listGroups(prefix: string): Promise<string[]> {
    const known = new Set([...this.groups.keys(), ...(await this.offsetStore.groupIds())]);
    return [...known].filter((g) => g.startsWith(prefix)).sort();
  }

  async describeGroup(groupId: string): Promise<GroupDescription> {
    return this.groups.get(groupId)?.describe() ?? { groupId, state: 'Dead', members: [] };
  }
}
