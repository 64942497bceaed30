/**
 * One segment file of an embedded-log partition: `<base offset, 20 digits>.log`, frames appended,
 * a sparse in-memory index of (offset, time, position) every INDEX_EVERY bytes, persisted as
 * `<base>.idx` once the segment is sealed so that opening does not rescan it.
 */
import { open, readFile, rename, writeFile, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { scanFrames, type FramePosition } from './record-frame.js';

/** Bytes between sparse index entries. */
export const INDEX_EVERY = 64 * 1024;

/** File name of the segment whose first offset is `base`. */
export function segmentFileName(base: number): string {
  return `${String(base).padStart(20, '0')}.log`;
}

interface SealedIndex {
  readonly size: number;
  readonly nextOffset: number;
  readonly lastTimestampMs: number;
  readonly entries: ReadonlyArray<readonly [offset: number, timestampMs: number, position: number]>;
}

/** An open segment. `size` counts only whole frames written. */
export class Segment {
  readonly index: FramePosition[] = [];
  size = 0;
  nextOffset: number;
  lastTimestampMs = -1;
  private lastIndexedPosition = -Infinity;

  private constructor(
    readonly dir: string,
    readonly base: number,
    private readonly reader: FileHandle,
  ) {
    this.nextOffset = base;
  }

  get path(): string {
    return join(this.dir, segmentFileName(this.base));
  }

  /** Open a segment file. Sealed ones load their .idx when it matches; others are scanned and a torn tail cut. */
  static async open(dir: string, base: number, sealed: boolean): Promise<{ segment: Segment; cutBytes: number }> {
    const path = join(dir, segmentFileName(base));
    const reader = await open(path, 'r');
    const seg = new Segment(dir, base, reader);
    const { size: fileSize } = await reader.stat();
    if (sealed && (await seg.loadIndex(fileSize))) return { segment: seg, cutBytes: 0 };
    const bytes = await readFile(path);
    const scan = scanFrames(bytes, 0, 0, true);
    for (const f of scan.frames) seg.noteFrame(f);
    seg.size = scan.validBytes;
    const cutBytes = fileSize - scan.validBytes;
    if (cutBytes > 0) {
      const w = await open(path, 'r+');
      await w.truncate(scan.validBytes);
      await w.sync();
      await w.close();
    }
    if (sealed) await seg.writeIndex();
    return { segment: seg, cutBytes };
  }

  /** Create an empty segment starting at `base`. */
  static async create(dir: string, base: number): Promise<Segment> {
    const path = join(dir, segmentFileName(base));
    await (await open(path, 'a')).close();
    return new Segment(dir, base, await open(path, 'r'));
  }

  /** Record a frame just written (or found on open) at the end of the segment. */
  noteFrame(f: FramePosition): void {
    if (f.position - this.lastIndexedPosition >= INDEX_EVERY) {
      this.index.push(f);
      this.lastIndexedPosition = f.position;
    }
    this.nextOffset = f.offset + 1;
    this.lastTimestampMs = f.timestampMs;
    this.size = f.position + f.size;
  }

  /** Byte position from which a scan finds `offset` (the last index entry at or below it). */
  positionFor(offset: number): number {
    let lo = 0;
    let hi = this.index.length - 1;
    let pos = 0;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const e = this.index[mid] as FramePosition;
      if (e.offset <= offset) {
        pos = e.position;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return pos;
  }

  /** Byte position from which a scan finds the first record at or after `timestampMs`. */
  positionForTime(timestampMs: number): number {
    let pos = 0;
    for (const e of this.index) {
      if (e.timestampMs >= timestampMs) break;
      pos = e.position;
    }
    return pos;
  }

  /** Read `length` bytes at `position` (fewer at the end of the written part). */
  async readAt(position: number, length: number): Promise<Buffer> {
    const len = Math.max(0, Math.min(length, this.size - position));
    const buf = Buffer.allocUnsafe(len);
    let done = 0;
    while (done < len) {
      const { bytesRead } = await this.reader.read(buf, done, len - done, position + done);
      if (bytesRead === 0) break;
      done += bytesRead;
    }
    return done === len ? buf : buf.subarray(0, done);
  }

  private indexPath(): string {
    return join(this.dir, `${String(this.base).padStart(20, '0')}.idx`);
  }

  private async loadIndex(fileSize: number): Promise<boolean> {
    let idx: SealedIndex;
    try {
      idx = JSON.parse(await readFile(this.indexPath(), 'utf8')) as SealedIndex;
    } catch {
      return false;
    }
    if (idx.size !== fileSize) return false;
    for (const [offset, timestampMs, position] of idx.entries) this.index.push({ offset, timestampMs, position, size: 0 });
    this.size = idx.size;
    this.nextOffset = idx.nextOffset;
    this.lastTimestampMs = idx.lastTimestampMs;
    return true;
  }

  /** Persist the sparse index (done when the segment is sealed). */
  async writeIndex(): Promise<void> {
    const idx: SealedIndex = {
      size: this.size,
      nextOffset: this.nextOffset,
      lastTimestampMs: this.lastTimestampMs,
      entries: this.index.map((e) => [e.offset, e.timestampMs, e.position] as const),
    };
    const tmp = `${this.indexPath()}.tmp`;
    await writeFile(tmp, JSON.stringify(idx));
    await rename(tmp, this.indexPath());
  }

  async close(): Promise<void> {
    await this.reader.close();
  }
}
