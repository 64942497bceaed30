/**
 * The ingester: a member of consumer group `fjord-ingester-<zone>` that turns its partitions'
 * records into per-stream chunks, ships chunks and index bundles to the object store, and commits a
 * partition's offset only up to what is durable. On gaining a partition it replays from the
 * committed offset (not ready until caught up); on losing one, or on shutdown, it flushes first.
 * A partition answers queries only while caught up (catch-up.ts): not while it replays, while the
 * consumer is not consuming, or until it has caught up again after the consumer resumed.
 */
import { FjordError, errorMessage, type CodecSet } from '../../schemas/index.js';
import type { FjordConfig, Limits } from '../../schemas/config/index.js';
import { decodeRecord, type PushEntry } from '../../schemas/record/index.js';
import {
  ingesterGroup, type GroupHandler, type GroupMembership, type LogRecord, type Logger, type ObjectStore,
  type PartitionLog, type LogConsumerGroups, type LogAdmin, type Service, type IngesterReport,
} from '../../platform/index.js';
import { LabelCache } from '../../schemas/labels/index.js';
import {
  advancedCatchUp, assignedCatchUp, isCaughtUp, resumedCatchUp, stoppedCatchUp,
} from './catch-up.js';
import type { CutReason } from './cut-policy.js';
import { ConsumptionWatch } from './consumption-watch.js';
import { Flusher } from './flusher.js';
import type { IndexWriter } from './index-writer.js';
import type { IngesterMetrics } from './metrics.js';
import type { StreamHold } from './stream-hold.js';
import { PartitionIngest } from './partition-ingest.js';
import { LiveTails } from './live-tails.js';
import { OwnedPartitions, type Owned } from './owned-partitions.js';
import { TenantRates } from './tenant-rates.js';
import { PartitionPatterns } from '../patterns/index.js';
import { deadLetter } from './dead-letters.js';
import { patternSettings } from './pattern-settings.js';

/** What the ingester is built from. */
export interface IngesterDeps {
  readonly config: FjordConfig;
  /** The topic's log: the ingester joins its zone's group and reads committed and end offsets. */
  readonly log: LogConsumerGroups & LogAdmin;
  /** Where malformed records go (kafka_config.dead_letter_topic), or null to count and skip them. */
  readonly deadLetters: PartitionLog | null;
  readonly store: ObjectStore;
  readonly codecs: CodecSet;
  readonly limits: Limits;
  readonly index: IndexWriter;
  readonly metrics: IngesterMetrics;
  readonly logger: Logger;
  /** The HTTP address other processes reach this one at, advertised as the group member's client id. */
  readonly advertiseAddress: () => string;
}

const MEMORY_POLL_MS = 100;

/** The ingester service. */
export class Ingester implements Service, GroupHandler {
  readonly name = 'ingester';
  /** The partitions owned now; queries read recent data from them. */
  readonly owned: OwnedPartitions;
  private readonly flusher: Flusher;
  private readonly labelCache = new LabelCache();
  /** How far each owned partition is consumed (read-your-writes waits on it). */
  readonly consumption = new ConsumptionWatch();
  private readonly rates = new TenantRates();
  /** The live tails fed from what this ingester consumes. */
  readonly tails = new LiveTails();
  private membership: GroupMembership | null = null;
  private timers: NodeJS.Timeout[] = [];
  private sealing: Promise<void> | null = null;
  private stopping = false;

  constructor(private readonly deps: IngesterDeps) {
    const c = deps.config.ingester;
    this.owned = new OwnedPartitions(deps.codecs.none, deps.config.pattern_ingester.pattern_sample_interval);
    this.flusher = new Flusher(c, deps.store, deps.index, deps.metrics, deps.logger);
  }

  private get cfg(): FjordConfig['ingester'] {
    return this.deps.config.ingester;
  }

  async start(): Promise<void> {
    await this.deps.index.open();
    await this.deps.deadLetters?.start(new AbortController().signal);
    if (this.deps.index.hasPending()) await this.sealAndCommit();
    const group = ingesterGroup(this.deps.config.kafka_config.consumer_group, this.cfg.availability_zone);
    this.membership = await this.deps.log.joinGroup(group, this.deps.advertiseAddress(), this);
    this.deps.logger.info({ group, address: this.deps.advertiseAddress() }, 'joined the ingester group');
    const every = (ms: number, f: () => Promise<void>) => {
      const t = setInterval(() => void f().catch((err) => this.deps.logger.error({ err: errorMessage(err) }, 'ingester background task failed')), ms);
      t.unref();
      this.timers.push(t);
    };
    every(this.cfg.flush_check_period, async () => this.cutDue());
    every(this.cfg.index_upload_interval, () => this.sealAndCommit());
    every(this.deps.config.kafka_config.consumer_group_offset_commit_interval, () => this.commit());
    every(5000, async () => this.updateGauges());
    const pi = this.deps.config.pattern_ingester;
    if (pi.enabled) every(pi.flush_check_period, async () => this.prunePatterns(Date.now()));
  }

  /** Flush everything, leave the group, and close the index. */
  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    this.tails.endReading(null, 'the ingester is stopping');
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    try {
      await this.flushAll('shutdown');
    } catch (err) {
      this.deps.logger.error({ err: errorMessage(err) }, 'flush on shutdown failed; the log will be replayed from the committed offsets');
    }
    await this.membership?.leave().catch((err) => this.deps.logger.warn({ err: errorMessage(err) }, 'leaving the ingester group failed'));
    this.membership = null;
    this.flusher.stop();
    await this.deps.deadLetters?.stop();
    await this.deps.index.close();
  }

  notReadyReason(): string | null {
    for (const [p, o] of this.owned) {
      const t = o.catchUp.target;
      if (t !== null && !o.catchUp.afterStop) return `ingester is replaying partition ${p} (offset ${o.ingest.nextOffset} of ${t})`;
    }
    return null;
  }

  // GroupHandler

  async onAssigned(partitions: readonly number[]): Promise<void> {
    const group = ingesterGroup(this.deps.config.kafka_config.consumer_group, this.cfg.availability_zone);
    const committed = await this.deps.log.committedOffsets(group);
    const offsets = new Map((await this.deps.log.offsets()).map((o) => [o.partition, o]));
    for (const p of partitions) {
      const off = offsets.get(p);
      const start = Math.max(committed.get(p) ?? off?.start ?? 0, off?.start ?? 0);
      const end = off?.end ?? start;
      const ingest = new PartitionIngest(p, start, this.settings(), this.deps.codecs, this.labelCache);
      const patterns = this.deps.config.pattern_ingester.enabled ? new PartitionPatterns((tenant) => patternSettings(this.deps.config.pattern_ingester, this.deps.limits.forTenant(tenant))) : null;
      this.owned.set(p, { ingest, patterns, catchUp: assignedCatchUp(start, end, Date.now()), committed: committed.get(p) ?? -1 });
      this.consumption.assigned(p, start, end);
      this.deps.metrics.replayLag.set({ partition: String(p) }, Math.max(0, end - start));
      this.deps.metrics.committedOffset.set({ partition: String(p) }, committed.get(p) ?? -1);
      this.deps.logger.info({ partition: p, offset: start, end }, 'partition assigned; replaying from the committed offset');
    }
  }

  async onRevoked(partitions: readonly number[]): Promise<void> {
    const list = partitions.map((p) => this.owned.get(p)).filter((o): o is Owned => o !== undefined);
    if (list.length === 0) return;
    this.tails.endReading(partitions, 'partitions revoked');
    try {
      await this.flushPartitions(list, 'not_owned');
    } catch (err) {
      this.deps.logger.warn({ partitions, err: errorMessage(err) }, 'flush of revoked partitions incomplete; the new owner replays from the committed offset');
    }
    for (const p of partitions) {
      this.owned.delete(p);
      this.consumption.revoked(p);
    }
    this.deps.logger.info({ partitions }, 'partitions revoked');
  }

  /** The consumer is not consuming (`why`): no owned partition answers queries until it caught up again. */
  async onConsumptionStopped(why: string): Promise<void> {
    for (const o of this.owned.values()) o.catchUp = stoppedCatchUp(o.catchUp, why);
    if (this.owned.size > 0) this.deps.logger.warn({ partitions: this.owned.numbers(), err: why }, 'consumer not consuming; partitions answer no queries until caught up again');
  }

  /** The consumer fetches again: each stopped partition catches up to its end offset now before it answers queries. */
  async onConsumptionResumed(): Promise<void> {
    const stopped = [...this.owned].filter(([, o]) => o.catchUp.stopped !== null);
    if (stopped.length === 0) return;
    const ends = new Map((await this.deps.log.offsets()).map((o) => [o.partition, o.end]));
    const nowMs = Date.now();
    for (const [p, o] of stopped) {
      if (this.owned.get(p) !== o) continue;
      o.catchUp = resumedCatchUp(o.catchUp, o.ingest.nextOffset, ends.get(p) ?? o.ingest.nextOffset, nowMs);
      const t = o.catchUp.target;
      if (t !== null) this.deps.metrics.replayLag.set({ partition: String(p) }, Math.max(0, t - o.ingest.nextOffset));
      this.deps.logger.info({ partition: p, offset: o.ingest.nextOffset, end: t ?? o.ingest.nextOffset }, t === null ? 'consumer resumed; partition caught up' : 'consumer resumed; catching up to the end offset');
    }
  }

  async onBatch(partition: number, records: readonly LogRecord[], endOffset: number): Promise<void> {
    const o = this.owned.get(partition);
    if (!o) return;
    const nowMs = Date.now();
    for (const rec of records) {
      if (rec.offset < o.ingest.nextOffset) continue;
      await this.appendRecord(o, rec, nowMs);
    }
    const last = records[records.length - 1];
    if (last) {
      this.deps.metrics.currentOffset.set({ partition: String(partition) }, last.offset);
      this.deps.metrics.consumptionLag.set({ partition: String(partition) }, Math.max(0, (nowMs - last.timestampMs) / 1000));
    }
    this.consumption.consumedUpTo(partition, o.ingest.nextOffset, endOffset, last?.timestampMs ?? null);
    await this.checkReplay(partition, o, endOffset);
    await this.holdBackForMemory(o);
  }

  private settings() {
    const c = this.cfg;
    return {
      chunk_block_size: c.chunk_block_size, chunk_target_size: c.chunk_target_size, max_chunk_age: c.max_chunk_age,
      chunk_idle_period: c.chunk_idle_period, chunk_encoding: c.chunk_encoding,
    };
  }

  private prunePatterns(nowMs: number): void {
    for (const o of this.owned.values()) o.patterns?.prune(nowMs, this.deps.config.pattern_ingester.retain_for);
  }

  private async appendRecord(o: Owned, rec: LogRecord, nowMs: number): Promise<void> {
    let decoded;
    try {
      decoded = decodeRecord(rec);
    } catch (err) {
      await deadLetter(this.deps.deadLetters, this.deps.metrics, this.deps.logger, rec, err);
      o.ingest.skip(rec.offset);
      return;
    }
    const limits = this.deps.limits.forTenant(decoded.tenant);
    let r;
    try {
      const replaying = o.catchUp.target !== null && !o.catchUp.afterStop;
      const tailed = !replaying && this.tails.isTailed(decoded.tenant);
      const patterns = o.patterns;
      const tap = tailed || patterns !== null
        ? (hold: StreamHold, entries: readonly PushEntry[]) => {
            patterns?.train(hold.tenant, hold.labels, hold.labelsText, entries, nowMs);
            if (tailed) this.tails.offer(hold.tenant, hold.labels, { partition: rec.partition, labelsText: hold.labelsText, entries });
          }
        : undefined;
      r = o.ingest.append(decoded.tenant, decoded.request, rec.offset, nowMs, replaying, limits.discover_service_name, tap);
    } catch (err) {
      await deadLetter(this.deps.deadLetters, this.deps.metrics, this.deps.logger, rec, err);
      o.ingest.skip(rec.offset);
      return;
    }
    if (o.catchUp.target === null || o.catchUp.afterStop) {
      let bytes = 0;
      for (const s of decoded.request.streams) for (const e of s.entries) bytes += e.line.length;
      this.rates.add(decoded.tenant, r.appended, bytes, nowMs);
    }
    if (r.newStreams > 0) this.deps.metrics.streamsCreated.inc({ tenant: decoded.tenant }, r.newStreams);
    if (r.duplicates > 0) this.deps.metrics.entriesDuplicate.inc(r.duplicates);
    if (r.tooFarBehind > 0) {
      this.deps.metrics.discarded.samples.inc({ reason: 'too_far_behind', tenant: decoded.tenant }, r.tooFarBehind);
      this.deps.metrics.discarded.bytes.inc({ reason: 'too_far_behind', tenant: decoded.tenant }, r.tooFarBehindBytes);
    }
  }

  private async checkReplay(partition: number, o: Owned, endOffset: number): Promise<void> {
    const target = o.catchUp.target;
    if (target === null) return;
    this.deps.metrics.replayLag.set({ partition: String(partition) }, Math.max(0, target - o.ingest.nextOffset));
    if (!o.catchUp.afterStop && o.ingest.memoryBytes() > this.cfg.wal.replay_memory_ceiling) {
      this.deps.logger.info({ partition, memory_bytes: o.ingest.memoryBytes() }, 'replay passed the memory ceiling; flushing before going on');
      await this.flushPartitions([o], 'memory');
    }
    o.catchUp = advancedCatchUp(o.catchUp, o.ingest.nextOffset, endOffset, Date.now(), this.deps.config.kafka_config.max_consumer_lag_at_startup);
    if (o.catchUp.target !== null) return;
    this.deps.metrics.replayLag.set({ partition: String(partition) }, 0);
    this.deps.logger.info({ partition, offset: o.ingest.nextOffset }, 'partition caught up');
  }

  /** Back-pressure: past max_memory, cut the largest chunks and wait for uploads to free memory. */
  private async holdBackForMemory(o: Owned): Promise<void> {
    let warned = false;
    while (this.owned.memoryBytes() > this.cfg.max_memory && !this.stopping && this.owned.has(o.ingest.partition)) {
      const over = this.owned.memoryBytes() - this.cfg.max_memory;
      for (const owned of this.owned.values()) this.flusher.enqueue(owned.ingest.cutLargest(over));
      if (!warned) {
        this.deps.logger.warn({ memory_bytes: this.owned.memoryBytes(), max_memory: this.cfg.max_memory }, 'ingester memory limit reached; holding back consumption');
        warned = true;
      }
      await this.sealAndCommit().catch(() => undefined);
      await new Promise((r) => setTimeout(r, MEMORY_POLL_MS));
    }
  }

  private cutDue(force?: CutReason): void {
    const now = Date.now();
    for (const o of this.owned.values()) this.flusher.enqueue(o.ingest.cutDue(now, force));
  }

  /** Seal pending index entries into bundles, release durable chunks, commit. One at a time. */
  async sealAndCommit(): Promise<void> {
    while (this.sealing) await this.sealing;
    this.sealing = (async () => {
      try {
        const { bundles } = await this.deps.index.sealAll();
        this.deps.metrics.indexBundlesUploaded.inc(bundles);
      } catch (err) {
        this.deps.metrics.indexUploadFailures.inc();
        this.deps.logger.warn({ err: errorMessage(err) }, 'index bundle upload failed; retrying next round');
      }
      const durable = Number(this.deps.index.durableUpTo());
      for (const o of this.owned.values()) o.ingest.dropDurable(durable);
      await this.commit();
    })();
    try {
      await this.sealing;
    } finally {
      this.sealing = null;
    }
  }

  /** Commit each owned partition's committable offset when it moved. */
  async commit(): Promise<void> {
    const m = this.membership;
    if (!m) return;
    const offsets = new Map<number, number>();
    for (const [p, o] of this.owned) {
      const c = o.ingest.committable();
      if (c > o.committed) offsets.set(p, c);
    }
    if (offsets.size === 0) return;
    try {
      await m.commit(offsets);
      for (const [p, c] of offsets) {
        const o = this.owned.get(p);
        if (o) o.committed = c;
        this.deps.metrics.committedOffset.set({ partition: String(p) }, c);
      }
    } catch (err) {
      this.deps.metrics.commitFailures.inc();
      this.deps.logger.warn({ err: errorMessage(err) }, 'offset commit failed; retrying next round');
    }
  }

  /** Make everything consumed so far durable (data arriving meanwhile is not waited for). */
  private async flushPartitions(list: readonly Owned[], reason: CutReason): Promise<void> {
    const upTo = new Map(list.map((o) => [o, o.ingest.nextOffset]));
    for (const o of list) this.flusher.enqueue(o.ingest.cutDue(Date.now(), reason));
    await this.flusher.idle();
    await this.sealAndCommit();
    const left = list.filter((o) => o.ingest.committable() < (upTo.get(o) ?? 0));
    if (left.length > 0) throw new FjordError('object_store_unavailable', `partitions ${left.map((o) => o.ingest.partition).join(',')} still hold data that is not durable`);
  }

  /** Cut every open chunk, upload everything and seal the index (POST /flush, shutdown). */
  async flushAll(reason: CutReason): Promise<void> {
    await this.flushPartitions([...this.owned.values()], reason);
  }

  /** Leave the group after flushing (POST /ingester/shutdown). */
  async shutdown(flush: boolean): Promise<void> {
    if (flush) await this.flushAll('shutdown');
    await this.membership?.leave();
    this.membership = null;
  }

  /** What this ingester reports at `/status/api/process`. */
  statusReport(nowMs: number): IngesterReport {
    const partitions = [...this.owned].sort(([a], [b]) => a - b).map(([partition, o]) => {
      const c = this.consumption.get(partition);
      return {
        partition, consumed_offset: o.ingest.nextOffset, durable_offset: o.ingest.committable(), end_offset: Math.max(c?.end ?? 0, o.ingest.nextOffset),
        last_record_ms: c?.lastRecordMs ?? null, replaying: !isCaughtUp(o.catchUp),
      };
    });
    return { zone: this.cfg.availability_zone, partitions, tenants: this.rates.rates(nowMs) };
  }

  private updateGauges(): void {
    let chunks = 0;
    const streams = new Map<string, number>();
    for (const o of this.owned.values()) {
      for (const h of o.ingest.holds()) {
        streams.set(h.tenant, (streams.get(h.tenant) ?? 0) + 1);
        chunks += h.pending.length + (h.chunk.isEmpty ? 0 : 1);
      }
    }
    this.deps.metrics.memoryStreams.reset();
    for (const [tenant, n] of streams) this.deps.metrics.memoryStreams.set({ tenant }, n);
    this.deps.metrics.memoryChunks.set(chunks);
    this.deps.metrics.memoryBytes.set(this.owned.memoryBytes());
  }
}
