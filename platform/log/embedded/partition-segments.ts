/**
 * One partition of the embedded log: a directory of segments. Appends from concurrent producers
 * are coalesced into one write; offsets are assigned in append order; a produce resolves after its
 * bytes are written (and fsynced, with fsync=always). Readers wait for new records without polling.
 */
import { mkdir, open, readdir, unlink, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { FjordError } from '../../../schemas/index.js';
import type { Logger } from '../../logger.js';
import { decodeFrame, encodeFrames, scanFrames, type StoredRecord } from './record-frame.js';
import { RecentRecords } from './recent-records.js';
import { Segment, segmentFileName } from './segment.js';

/** How a partition writes and keeps its segments. */
export interface SegmentOptions {
  readonly segmentSizeBytes: number;
  readonly fsync: 'always' | 'interval';
  readonly retentionMs: number;
}

interface PendingAppend {
  readonly records: ReadonlyArray<Omit<StoredRecord, 'offset'>>;
  resolve(offsets: number[]): void;
  reject(err: unknown): void;
}

const MIN_READ_BYTES = 256 * 1024;
/** Record value bytes of the newest records each partition keeps in memory for its readers. */
const RECENT_BYTES = 8 * 1024 * 1024;

/** The segments of one partition. */
export class PartitionSegments {
  private readonly segments: Segment[] = [];
  private writer: FileHandle | null = null;
  private pending: PendingAppend[] = [];
  private writing = false;
  private dirty = false;
  private closed = false;
  private waiters: Array<() => void> = [];
  private readonly recent = new RecentRecords(RECENT_BYTES);

  private constructor(
    readonly dir: string,
    private readonly opts: SegmentOptions,
    private readonly logger: Logger,
  ) {}

  /** Open (or create) the partition directory, cutting a torn or corrupt tail off the last segment. */
  static async open(dir: string, opts: SegmentOptions, logger: Logger): Promise<PartitionSegments> {
    await mkdir(dir, { recursive: true });
    const p = new PartitionSegments(dir, opts, logger);
    const bases = (await readdir(dir))
      .filter((f) => /^\d{20}\.log$/.test(f))
      .map((f) => Number(f.slice(0, 20)))
      .sort((a, b) => a - b);
    for (const [i, base] of bases.entries()) {
      const { segment, cutBytes } = await Segment.open(dir, base, i < bases.length - 1);
      if (cutBytes > 0) logger.warn({ segment: segment.path, cut_bytes: cutBytes }, 'cut a torn or corrupt tail off a log segment');
      p.segments.push(segment);
    }
    if (p.segments.length === 0) p.segments.push(await Segment.create(dir, 0));
    p.writer = await open(p.active().path, 'a');
    return p;
  }

  private active(): Segment {
    return this.segments[this.segments.length - 1] as Segment;
  }

  /** The next offset to be written. */
  nextOffset(): number {
    return this.active().nextOffset;
  }

  /** True once closed; reads and waits then return at once. */
  isClosed(): boolean {
    return this.closed;
  }

  /** The first offset still held. */
  startOffset(): number {
    return (this.segments[0] as Segment).base;
  }

  /** Append records; resolves with their offsets once written. */
  append(records: ReadonlyArray<Omit<StoredRecord, 'offset'>>): Promise<number[]> {
    if (this.closed) return Promise.reject(new FjordError('log_closed', 'the embedded log is closed'));
    return new Promise((resolve, reject) => {
      this.pending.push({ records, resolve, reject });
      if (!this.writing) void this.writeLoop();
    });
  }

  private async writeLoop(): Promise<void> {
    this.writing = true;
    try {
      while (this.pending.length > 0) {
        const batch = this.pending;
        this.pending = [];
        try {
          const offsets = await this.writeBatch(batch);
          batch.forEach((p, i) => p.resolve(offsets[i] as number[]));
        } catch (err) {
          const e = new FjordError('log_unavailable', `embedded log write failed in ${this.dir}: ${(err as Error).message}`, { cause: err });
          for (const p of batch) p.reject(e);
        }
      }
    } finally {
      this.writing = false;
    }
  }

  private async writeBatch(batch: readonly PendingAppend[]): Promise<number[][]> {
    let next = this.nextOffset();
    const stored: StoredRecord[] = [];
    const offsets = batch.map((p) =>
      p.records.map((r) => {
        stored.push({ ...r, offset: next });
        return next++;
      }),
    );
    const bytes = encodeFrames(stored);
    if (this.active().size > 0 && this.active().size + bytes.length > this.opts.segmentSizeBytes) await this.roll();
    const seg = this.active();
    const writer = this.writer as FileHandle;
    let done = 0;
    while (done < bytes.length) done += (await writer.write(bytes, done, bytes.length - done)).bytesWritten;
    if (this.opts.fsync === 'always') await writer.datasync();
    else this.dirty = true;
    for (const f of scanFrames(bytes, 0, seg.size, false).frames) seg.noteFrame(f);
    this.recent.add(stored);
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
    return offsets;
  }

  private async roll(): Promise<void> {
    const old = this.active();
    await (this.writer as FileHandle).datasync();
    await (this.writer as FileHandle).close();
    await old.writeIndex();
    const seg = await Segment.create(this.dir, old.nextOffset);
    this.segments.push(seg);
    this.writer = await open(seg.path, 'a');
  }

  /** fsync the active segment if anything was written since the last sync. */
  async sync(): Promise<void> {
    if (!this.dirty || !this.writer) return;
    this.dirty = false;
    await this.writer.datasync();
  }

  /**
   * Records from `fromOffset` on, about `maxBytes` of them (at least one when any exist). Empty
   * when `fromOffset` is the end. An offset below the start reads from the start.
   */
  async read(fromOffset: number, maxBytes: number): Promise<StoredRecord[]> {
    const from = Math.max(fromOffset, this.startOffset());
    const held = this.recent.read(from, maxBytes);
    if (held !== null) return held;
    const segIdx = this.segmentIndexFor(from);
    if (segIdx < 0) return [];
    for (let i = segIdx; i < this.segments.length; i++) {
      const seg = this.segments[i] as Segment;
      if (seg.nextOffset <= from) continue;
      let position = seg.positionFor(from);
      const out: StoredRecord[] = [];
      let bytes = 0;
      while (position < seg.size && bytes < maxBytes) {
        let buf = await seg.readAt(position, Math.max(MIN_READ_BYTES, maxBytes - bytes));
        let scan = scanFrames(buf, 0, position, false);
        if (scan.frames.length === 0) {
          if (buf.length < 8) break;
          buf = await seg.readAt(position, buf.readUInt32BE(0) + 8);
          scan = scanFrames(buf, 0, position, false);
          if (scan.frames.length === 0) break;
        }
        for (const f of scan.frames) {
          if (f.offset >= from) {
            out.push(decodeFrame(buf, f.position - position));
            bytes += f.size;
          }
        }
        position += scan.validBytes;
      }
      if (out.length > 0) return out;
    }
    return [];
  }

  private segmentIndexFor(offset: number): number {
    let lo = 0;
    let hi = this.segments.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if ((this.segments[mid] as Segment).base <= offset) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  }

  /** Resolve once the record at `offset` exists, or `timeoutMs` passes, or `signal` aborts. */
  waitFor(offset: number, timeoutMs: number, signal?: AbortSignal): Promise<void> {
    if (this.nextOffset() > offset || this.closed || signal?.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      signal?.addEventListener('abort', done, { once: true });
      this.waiters.push(done);
    });
  }

  /** First offset whose record time is at or after `timestampMs`; the end offset if none. */
  async offsetForTime(timestampMs: number): Promise<number> {
    for (const seg of this.segments) {
      if (seg.lastTimestampMs < timestampMs) continue;
      let position = seg.positionForTime(timestampMs);
      while (position < seg.size) {
        const buf = await seg.readAt(position, MIN_READ_BYTES);
        const scan = scanFrames(buf, 0, position, false);
        if (scan.frames.length === 0) break;
        const hit = scan.frames.find((f) => f.timestampMs >= timestampMs);
        if (hit) return hit.offset;
        position += scan.validBytes;
      }
    }
    return this.nextOffset();
  }

  /** Delete sealed segments whose newest record is older than the retention period. */
  async enforceRetention(nowMs: number): Promise<void> {
    if (this.opts.retentionMs <= 0) return;
    while (this.segments.length > 1) {
      const oldest = this.segments[0] as Segment;
      if (oldest.lastTimestampMs >= nowMs - this.opts.retentionMs) break;
      this.segments.shift();
      await unlink(oldest.path).catch(() => undefined);
      await unlink(join(this.dir, segmentFileName(oldest.base).replace('.log', '.idx'))).catch(() => undefined);
      setTimeout(() => void oldest.close().catch(() => undefined), 60_000).unref();
      this.logger.info({ segment: oldest.path }, 'deleted a log segment past retention');
    }
  }

  /** Wait for queued appends, sync, and close every file. */
  async close(): Promise<void> {
    if (this.closed) return;
    while (this.writing || this.pending.length > 0) await new Promise((r) => setTimeout(r, 5));
    this.closed = true;
    for (const w of this.waiters) w();
    this.waiters = [];
    if (this.writer) {
      await this.writer.datasync();
      await this.writer.close();
      this.writer = null;
    }
    for (const s of this.segments) await s.close();
  }
}
