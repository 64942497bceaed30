/**
 * The ingester's active index: for every uploaded chunk, its series, postings and ref in the
 * period tables it overlaps, plus an index-log record with a sequence number. Every
 * `index_upload_interval` the log records written since the last upload of each (period, tenant)
 * are sealed into an immutable index bundle and uploaded; the upload mark then moves. A chunk is
 * durable once every index-log record of it is at or below the sealed sequence.
 */
import {
  decodeIndexLogValue, decodeUploadMarkValue, encodeChunkRefValue, encodeIndexBundle, encodeIndexKey,
  encodeIndexLogValue, encodeSeriesValue, encodeUploadMarkValue, indexBundleKey, indexKindRange, indexLogRangeAfter,
  indexPeriodsOverlapping, decodeIndexKey, chunkKey, type ChunkRef, type IndexKey, type IndexLogRecord, type SeriesEntry,
} from '../../schemas/index/index.js';
import type { ObjectStore } from '../../platform/index.js';
import type { IndexTable } from './index-table.js';

/** A (period, tenant) with index-log records not yet sealed. */
interface Scope {
  readonly period: number;
  readonly tenant: string;
  /** Upload mark: log records up to here are in an uploaded bundle. */
  sealed: bigint | null;
  /** Lowest unsealed sequence number, when any. */
  firstUnsealed: bigint | null;
  /** Highest sequence number written. */
  maxSeq: bigint;
}

/** The chunk keys some uploaded index bundle of a (period, tenant) already refers to. */
export interface IndexedChunks {
  chunkKeys(period: number, tenant: string, signal?: AbortSignal): Promise<ReadonlySet<string>>;
}

/** Writes the active index and seals it into bundles. */
export class IndexWriter {
  private readonly scopes = new Map<string, Scope>();
  private seq = 0n;

  constructor(
    private readonly table: IndexTable,
    private readonly store: ObjectStore,
    /** Unique per ingester (zone and address), part of every bundle id. */
    private readonly writerId: string,
    /** When given, refs already in an uploaded bundle are left out of new bundles (replay). */
    private readonly indexed: IndexedChunks | null = null,
  ) {}

  /** Open the table and find what is not sealed yet (from before a restart). */
  async open(): Promise<void> {
    await this.table.open();
    const start = new Uint8Array([0x69]);
    const end = new Uint8Array([0x6a]);
    const marks = new Map<string, bigint>();
    const logs = new Map<string, { period: number; tenant: string; first: bigint; max: bigint }>();
    for await (const [key, value] of this.table.range(start, end)) {
      const k = decodeIndexKeySafe(key);
      if (!k) continue;
      const id = `${k.period}/${k.tenant}`;
      if (k.kind === 'upload_mark') marks.set(id, decodeUploadMarkValue(value));
      if (k.kind === 'log') {
        if (k.seq >= this.seq) this.seq = k.seq + 1n;
        const cur = logs.get(id) ?? { period: k.period, tenant: k.tenant, first: k.seq, max: k.seq };
        if (k.seq < cur.first) cur.first = k.seq;
        if (k.seq > cur.max) cur.max = k.seq;
        logs.set(id, cur);
      }
    }
    for (const [id, l] of logs) {
      const sealed = marks.get(id) ?? null;
      const pending = sealed === null || l.max > sealed;
      this.scopes.set(id, { period: l.period, tenant: l.tenant, sealed, maxSeq: l.max, firstUnsealed: pending ? (sealed === null || l.first > sealed ? l.first : sealed + 1n) : null });
    }
    for (const [id, sealed] of marks) {
      if (sealed >= this.seq) this.seq = sealed + 1n;
      if (!this.scopes.has(id)) {
        const [period, tenant] = [Number(id.slice(0, id.indexOf('/'))), id.slice(id.indexOf('/') + 1)];
        this.scopes.set(id, { period, tenant, sealed, maxSeq: sealed, firstUnsealed: null });
      }
    }
  }

  async close(): Promise<void> {
    await this.table.close();
  }

  /** Index an uploaded chunk; returns the sequence number that must be sealed for it to be durable. */
  async add(tenant: string, series: SeriesEntry, ref: ChunkRef): Promise<bigint> {
    const pairs: Array<readonly [Uint8Array, Uint8Array]> = [];
    const empty = new Uint8Array(0);
    let last = 0n;
    for (const period of indexPeriodsOverlapping(ref.fromNs, ref.throughNs)) {
      const seq = this.seq++;
      last = seq;
      const rec: IndexLogRecord = { series, chunk: ref };
      pairs.push([encodeIndexKey({ kind: 'log', period, tenant, seq }), encodeIndexLogValue(rec)]);
      pairs.push([encodeIndexKey({ kind: 'series', period, tenant, fingerprint: series.fingerprint }), encodeSeriesValue(series.labels)]);
      for (const l of series.labels) {
        pairs.push([encodeIndexKey({ kind: 'posting', period, tenant, name: l.name, value: l.value, fingerprint: series.fingerprint }), empty]);
      }
      pairs.push([
        encodeIndexKey({ kind: 'chunk', period, tenant, fingerprint: series.fingerprint, fromNs: ref.fromNs, throughNs: ref.throughNs, checksum: ref.checksum }),
        encodeChunkRefValue(ref),
      ]);
      const id = `${period}/${tenant}`;
      const scope = this.scopes.get(id) ?? { period, tenant, sealed: null, firstUnsealed: null, maxSeq: seq };
      if (scope.firstUnsealed === null) scope.firstUnsealed = seq;
      scope.maxSeq = seq;
      this.scopes.set(id, scope);
    }
    await this.table.putAll(pairs);
    return last;
  }

  /** Sequence numbers up to this one are sealed and uploaded (everything, when nothing is pending). */
  durableUpTo(): bigint {
    let min: bigint | null = null;
    for (const s of this.scopes.values()) if (s.firstUnsealed !== null && (min === null || s.firstUnsealed < min)) min = s.firstUnsealed;
    return min === null ? this.seq - 1n : min - 1n;
  }

  /** True when some index-log records wait to be sealed. */
  hasPending(): boolean {
    for (const s of this.scopes.values()) if (s.firstUnsealed !== null) return true;
    return false;
  }

  /**
   * Seal every pending (period, tenant) into a bundle and upload it (none when every ref of it is
   * already indexed, with `indexed` given); `bundles` counts the uploads. A failed upload leaves that
   * scope pending (tried again next round) and is rethrown after the others were tried.
   */
  async sealAll(signal?: AbortSignal): Promise<{ bundles: number }> {
    let bundles = 0;
    let failure: unknown = null;
    for (const scope of [...this.scopes.values()]) {
      if (scope.firstUnsealed === null) continue;
      try {
        if (await this.seal(scope, signal)) bundles++;
      } catch (err) {
        failure ??= err;
      }
    }
    if (failure !== null) throw failure;
    return { bundles };
  }

  private async seal(scope: Scope, signal?: AbortSignal): Promise<boolean> {
    const range = indexLogRangeAfter(scope.period, scope.tenant, scope.sealed);
    const series = new Map<string, SeriesEntry>();
    const chunks: ChunkRef[] = [];
    let last: bigint | null = null;
    for await (const [key, value] of this.table.range(range.gte, range.lt)) {
      const k = decodeIndexKeySafe(key);
      if (!k || k.kind !== 'log') continue;
      const rec = decodeIndexLogValue(value);
      series.set(rec.series.fingerprint, rec.series);
      chunks.push(rec.chunk);
      last = k.seq;
    }
    if (last === null) {
      scope.firstUnsealed = null;
      return false;
    }
    const known = this.indexed ? await this.indexed.chunkKeys(scope.period, scope.tenant, signal) : null;
    const fresh = known ? chunks.filter((c) => !known.has(chunkKey({ tenant: scope.tenant, ...c }))) : chunks;
    if (fresh.length > 0) {
      const used = new Set(fresh.map((c) => c.fingerprint));
      const bytes = encodeIndexBundle({ period: scope.period, tenant: scope.tenant, series: [...series.values()].filter((e) => used.has(e.fingerprint)), chunks: fresh });
      const key = indexBundleKey({ period: scope.period, tenant: scope.tenant, bundleId: `${this.writerId}-${last.toString(16).padStart(16, '0')}` });
      await this.store.put(key, bytes, signal);
    }
    await this.table.putAll([[encodeIndexKey({ kind: 'upload_mark', period: scope.period, tenant: scope.tenant }), encodeUploadMarkValue(last)]]);
    scope.sealed = last;
    // Records added while this bundle was uploading stay pending (sequence numbers are global, so
    // last + 1 is a safe lower bound for the first of them).
    scope.firstUnsealed = scope.maxSeq > last ? last + 1n : null;
    return fresh.length > 0;
  }

  /** Delete the index tables of periods before `period` (their bundles are uploaded). */
  async dropPeriodsBefore(period: number): Promise<void> {
    for (const [id, s] of [...this.scopes]) {
      if (s.period >= period || s.firstUnsealed !== null) continue;
      for (const kind of ['series', 'posting', 'chunk', 'log', 'upload_mark'] as const) {
        const r = indexKindRange(s.period, s.tenant, kind);
        await this.table.deleteRange(r.gte, r.lt);
      }
      this.scopes.delete(id);
    }
  }
}

function decodeIndexKeySafe(key: Uint8Array): IndexKey | null {
  try {
    return decodeIndexKey(key);
  } catch {
    return null;
  }
}
