/**
 * A tenant's on-disk queue of rule samples waiting to be remote-written (`ruler.wal.dir/<tenant>`):
 * numbered append-only segment files of records (wal-record.ts), and one cursor file per
 * remote-write client holding the position of its next unsent record. Appends are synced before
 * they return, cursors are replaced atomically after a batch is accepted, so a receiver outage
 * or a restart loses nothing: sending resumes at the cursor. The queue is bounded by age
 * (`ruler.wal.max_age`): truncation drops segments whose newest sample is older, sent or not,
 * and removes sent segments older than `ruler.wal.min_age`.
 */
import { mkdir, open, readFile, readdir, rename, rm, stat, writeFile, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeWalRecord, encodeWalRecord } from './wal-record.js';

/** A position in the queue: the next record is at `offset` of segment `segment`. */
export interface WalCursor {
  readonly segment: number;
  readonly offset: number;
}

/** Records read for one batch. */
export interface WalBatch {
  readonly payloads: readonly Uint8Array[];
  readonly samples: number;
  readonly newestMs: number;
  readonly next: WalCursor;
}

/** A new segment is started past this size. */
const SEGMENT_BYTES = 4 * 1024 * 1024;
const SEGMENT_NAME = /^(\d{8})$/;

function segmentName(n: number): string {
  return String(n).padStart(8, '0');
}

interface SegmentInfo {
  readonly segment: number;
  size: number;
  newestMs: number;
  samples: number;
}

/** The queue of one tenant. */
export class WalQueue {
  private segments: SegmentInfo[] = [];
  private active: FileHandle | null = null;
  private readonly cursors = new Map<string, WalCursor>();
  private waiters: Array<() => void> = [];
  private lock: Promise<void> = Promise.resolve();

  constructor(
    private readonly dir: string,
    private readonly clients: readonly string[],
  ) {}

  /** Open the directory: find segments, cut a torn tail record, read the cursors. */
  async open(): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const names = (await readdir(this.dir)).filter((n) => SEGMENT_NAME.test(n)).sort();
    for (const name of names) {
      const bytes = await readFile(join(this.dir, name));
      const info: SegmentInfo = { segment: Number(name), size: 0, newestMs: 0, samples: 0 };
      let off = 0;
      for (let r = decodeWalRecord(bytes, 0); r !== null; r = decodeWalRecord(bytes, off)) {
        off = r.end;
        info.samples += r.samples;
        info.newestMs = Math.max(info.newestMs, r.newestMs);
      }
      if (off < bytes.length) {
        const fh = await open(join(this.dir, name), 'r+');
        await fh.truncate(off);
        await fh.close();
      }
      info.size = off;
      this.segments.push(info);
    }
    if (this.segments.length === 0) this.segments.push({ segment: 1, size: 0, newestMs: 0, samples: 0 });
    const last = this.segments[this.segments.length - 1] as SegmentInfo;
    this.active = await open(join(this.dir, segmentName(last.segment)), 'a');
    const first = this.segments[0] as SegmentInfo;
    for (const client of this.clients) {
      const c = await this.readCursor(client);
      const valid = c !== null && this.segments.some((s) => s.segment === c.segment && c.offset <= s.size);
      this.cursors.set(client, valid ? c : c !== null && c.segment > last.segment ? { segment: last.segment, offset: last.size } : { segment: first.segment, offset: 0 });
    }
  }

  /** Release the active segment. */
  async close(): Promise<void> {
    await this.active?.close();
    this.active = null;
    for (const w of this.waiters.splice(0)) w();
  }

  private cursorPath(client: string): string {
    return join(this.dir, `cursor-${encodeURIComponent(client)}`);
  }

  private async readCursor(client: string): Promise<WalCursor | null> {
    const text = await readFile(this.cursorPath(client), 'utf8').catch(() => null);
    const m = text === null ? null : /^(\d+) (\d+)$/.exec(text.trim());
    return m ? { segment: Number(m[1]), offset: Number(m[2]) } : null;
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.lock.then(fn);
    this.lock = run.then(() => undefined, () => undefined);
    return run;
  }

  /** Append one evaluation's samples (an encoded WriteRequest); resolves once on disk. */
  append(payload: Uint8Array, samples: number, newestMs: number): Promise<void> {
    return this.serial(async () => {
      let last = this.segments[this.segments.length - 1] as SegmentInfo;
      if (last.size >= SEGMENT_BYTES) last = await this.rotate();
      const record = encodeWalRecord(payload, samples, newestMs);
      const fh = this.active as FileHandle;
      await fh.write(record);
      await fh.datasync();
      last.size += record.length;
      last.samples += samples;
      last.newestMs = Math.max(last.newestMs, newestMs);
      for (const w of this.waiters.splice(0)) w();
    });
  }

  private async rotate(): Promise<SegmentInfo> {
    const last = this.segments[this.segments.length - 1] as SegmentInfo;
    await this.active?.close();
    const next: SegmentInfo = { segment: last.segment + 1, size: 0, newestMs: 0, samples: 0 };
    this.active = await open(join(this.dir, segmentName(next.segment)), 'a');
    this.segments.push(next);
    return next;
  }

  /** Where `client` resumes. */
  cursor(client: string): WalCursor {
    return this.cursors.get(client) ?? { segment: (this.segments[0] as SegmentInfo).segment, offset: 0 };
  }

  /** Records from `from` on, up to about `maxSamples` samples (at least one record); null when none yet. */
  read(from: WalCursor, maxSamples: number): Promise<WalBatch | null> {
    return this.serial(() => this.readRecords(from, maxSamples));
  }

  private async readRecords(from: WalCursor, maxSamples: number): Promise<WalBatch | null> {
    let cur = from;
    const payloads: Uint8Array[] = [];
    let samples = 0;
    let newestMs = 0;
    for (const seg of this.segments) {
      if (seg.segment < cur.segment) continue;
      if (seg.segment > cur.segment) cur = { segment: seg.segment, offset: 0 };
      if (cur.offset >= seg.size) continue;
      const fh = await open(join(this.dir, segmentName(seg.segment)), 'r');
      let bytes: Uint8Array;
      try {
        const buf = Buffer.alloc(seg.size - cur.offset);
        await fh.read(buf, 0, buf.length, cur.offset);
        bytes = buf;
      } finally {
        await fh.close();
      }
      let off = 0;
      for (let r = decodeWalRecord(bytes, 0); r !== null; r = decodeWalRecord(bytes, off)) {
        if (payloads.length > 0 && samples + r.samples > maxSamples) break;
        payloads.push(r.payload);
        samples += r.samples;
        newestMs = Math.max(newestMs, r.newestMs);
        off = r.end;
      }
      cur = { segment: seg.segment, offset: cur.offset + off };
      if (samples >= maxSamples) break;
    }
    return payloads.length === 0 ? null : { payloads, samples, newestMs, next: cur };
  }

  /** Resolves at the next append (or at close), or when `signal` aborts. */
  waitForAppend(signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      if (signal.aborted) {
        resolve();
        return;
      }
      const done = (): void => {
        signal.removeEventListener('abort', done);
        resolve();
      };
      this.waiters.push(done);
      signal.addEventListener('abort', done, { once: true });
    });
  }

  /** Record that `client` sent everything before `cursor`. */
  async commit(client: string, cursor: WalCursor): Promise<void> {
    const path = this.cursorPath(client);
    await writeFile(`${path}.tmp`, `${cursor.segment} ${cursor.offset}\n`);
    await rename(`${path}.tmp`, path);
    this.cursors.set(client, cursor);
  }

  /**
   * Remove what is no longer needed at `nowMs`: segments every client has sent whose newest
   * sample is older than `minAgeMs`, and segments whose newest sample is older than `maxAgeMs`
   * whether sent or not. Returns, per client, the samples dropped unsent.
   */
  truncate(nowMs: number, minAgeMs: number, maxAgeMs: number): Promise<Map<string, number>> {
    return this.serial(async () => {
      const dropped = new Map<string, number>();
      const last = this.segments[this.segments.length - 1] as SegmentInfo;
      if (last.size > 0 && nowMs - last.newestMs > Math.min(minAgeMs, maxAgeMs)) await this.rotate();
      const keep: SegmentInfo[] = [];
      for (const seg of this.segments) {
        const isActive = seg === this.segments[this.segments.length - 1];
        const age = nowMs - seg.newestMs;
        const sentByAll = this.clients.every((c) => this.cursor(c).segment > seg.segment);
        const expired = !isActive && age > maxAgeMs;
        if (isActive || (!expired && !(sentByAll && age > minAgeMs))) {
          keep.push(seg);
          continue;
        }
        for (const c of this.clients) {
          const cur = this.cursor(c);
          if (cur.segment > seg.segment) continue;
          dropped.set(c, (dropped.get(c) ?? 0) + (cur.segment === seg.segment && cur.offset > 0 ? await this.samplesAfter(seg, cur.offset) : seg.samples));
        }
        await rm(join(this.dir, segmentName(seg.segment)), { force: true });
      }
      this.segments = keep;
      const first = keep[0] as SegmentInfo;
      for (const c of this.clients) if (this.cursor(c).segment < first.segment) await this.commit(c, { segment: first.segment, offset: 0 });
      return dropped;
    });
  }

  private async samplesAfter(seg: SegmentInfo, offset: number): Promise<number> {
    const bytes = await readFile(join(this.dir, segmentName(seg.segment)));
    let n = 0;
    for (let r = decodeWalRecord(bytes, offset); r !== null; r = decodeWalRecord(bytes, r.end)) n += r.samples;
    return n;
  }

  /** Bytes of the segments on disk. */
  async diskBytes(): Promise<number> {
    let total = 0;
    for (const seg of this.segments) total += (await stat(join(this.dir, segmentName(seg.segment))).catch(() => null))?.size ?? 0;
    return total;
  }
}
