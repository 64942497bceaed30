/**
 * The newest records of one embedded-log partition, kept in memory after they are written so that
 * a reader that keeps up (the ingester in the same process) takes them as they were produced: no
 * read of the segment file, no frame decode, no copy. A byte budget bounds what is kept; readers
 * further behind read the segment files. Pure.
 */
import type { StoredRecord } from './record-frame.js';

/** Records with consecutive offsets, the oldest dropped once their values pass the budget. */
export class RecentRecords {
  /** Held records from `head` on; the slots before it are emptied as their records are dropped. */
  private records: Array<StoredRecord | undefined> = [];
  /** Index in `records` of the oldest record still held (emptied slots are compacted away in bulk). */
  private head = 0;
  private bytes = 0;

  constructor(private readonly budgetBytes: number) {}

  /** Add records just written; their offsets must follow the newest held one (else the rest is dropped first). */
  add(records: readonly StoredRecord[]): void {
    for (const r of records) {
      const newest = this.records[this.records.length - 1];
      if (this.head < this.records.length && newest !== undefined && r.offset !== newest.offset + 1) this.clear();
      this.records.push(r);
      this.bytes += r.value.length;
    }
    while (this.bytes > this.budgetBytes && this.head < this.records.length) {
      this.bytes -= (this.records[this.head] as StoredRecord).value.length;
      this.records[this.head++] = undefined;
    }
    if (this.head > 1024 && this.head * 2 > this.records.length) {
      this.records = this.records.slice(this.head);
      this.head = 0;
    }
  }

  /**
   * Records from `fromOffset` on, about `maxBytes` of them (at least one), or null when
   * `fromOffset` is not held (older than the oldest kept, or past the newest).
   */
  read(fromOffset: number, maxBytes: number): StoredRecord[] | null {
    const oldest = this.records[this.head];
    if (oldest === undefined) return null;
    const at = this.head + (fromOffset - oldest.offset);
    if (fromOffset < oldest.offset || at >= this.records.length) return null;
    const out: StoredRecord[] = [];
    let bytes = 0;
    for (let i = at; i < this.records.length && (out.length === 0 || bytes < maxBytes); i++) {
      const r = this.records[i] as StoredRecord;
      out.push(r);
      bytes += r.value.length;
    }
    return out;
  }

  /** Forget everything held. */
  clear(): void {
    this.records = [];
    this.head = 0;
    this.bytes = 0;
  }
}
