/**
 * Reading an index bundle: `openIndexBundle` checks and parses the bytes once into columns, and the
 * queries the querier, the label endpoints and index/stats and volume need are pure functions of
 * them. Equality matchers use the postings; regex matchers test the values of their label name
 * once each; matchers that accept the empty string (`!=`, `!~`, `=~".*"`) also accept series
 * without the label, as in Prometheus. Time ranges are `[startNs, endNs)`; a chunk is in range
 * when it has an entry that may be in it (`fromNs < endNs && throughNs >= startNs`). Pure.
 */
import { ByteReader, crc32c } from '../wire/index.js';
import { INDEX_BUNDLE_MAGIC, INDEX_BUNDLE_VERSION, type ChunkRef, type IndexBundleInput, type SeriesEntry } from './index-bundle.js';
import type { Label } from '../labels/index.js';
import { chunkKey } from './object-keys.js';

/** A label matcher as the index needs it (the query's CompiledMatcher is one). */
export interface IndexMatcher {
  readonly type: '=' | '!=' | '=~' | '!~';
  readonly name: string;
  readonly value: string;
  /** True when a label value ('' for a missing label) satisfies the matcher. */
  matches(value: string): boolean;
}

/** A chunk ref with its object key. */
export interface ChunkRefWithKey extends ChunkRef {
  readonly key: string;
}

/**
 * Totals for index/stats. `bytes` is the chunks' uncompressed size (Loki's `KB << 10`); entries and
 * bytes of a chunk partly in range are prorated by `overlapFactor`, as Loki does.
 */
export interface IndexStats {
  readonly streams: number;
  readonly chunks: number;
  readonly entries: number;
  readonly bytes: number;
}

/** One series' totals, for the volume endpoint to group. */
export interface SeriesVolume extends SeriesEntry {
  readonly chunks: number;
  readonly entries: number;
  readonly bytes: number;
}

const ALL_TIME: readonly [bigint, bigint] = [-(1n << 63n), (1n << 63n) - 1n];

/**
 * The share of a chunk's time span inside `[startNs, endNs)`, as Loki's `GetFactorOfTime` prorates
 * index stats and volumes: 1 for a chunk of a single instant, else the covered fraction.
 */
export function overlapFactor(fromNs: bigint, throughNs: bigint, startNs: bigint, endNs: bigint): number {
  if (startNs > throughNs || endNs < fromNs) return 0;
  if (fromNs === throughNs) return 1;
  const total = throughNs - fromNs;
  const leading = startNs > fromNs ? startNs - fromNs : 0n;
  const trailing = throughNs > endNs ? throughNs - endNs : 0n;
  return Number(total - leading - trailing) / Number(total);
}

/** An opened bundle. */
export interface IndexBundle {
  readonly period: number;
  readonly tenant: string;
  readonly seriesCount: number;
  readonly chunkCount: number;
  /** Series matching every matcher (all series for none) with a chunk in range when one is given, by fingerprint. */
  series(matchers: readonly IndexMatcher[], startNs?: bigint, endNs?: bigint): SeriesEntry[];
  /** Refs of the given series' chunks in `[startNs, endNs)`, by fingerprint then time. */
  chunkRefs(fingerprints: Iterable<string>, startNs: bigint, endNs: bigint): ChunkRefWithKey[];
  /** Label names of series with a chunk in range, sorted. */
  labelNames(startNs: bigint, endNs: bigint, matchers?: readonly IndexMatcher[]): string[];
  /** Values of `name` among series matching `matchers` with a chunk in range, sorted. */
  labelValues(name: string, startNs: bigint, endNs: bigint, matchers?: readonly IndexMatcher[]): string[];
  /** Totals over the matching series' chunks in range. */
  stats(matchers: readonly IndexMatcher[], startNs: bigint, endNs: bigint): IndexStats;
  /** Per-series totals over the matching series' chunks in range, by fingerprint. */
  volumes(matchers: readonly IndexMatcher[], startNs: bigint, endNs: bigint): SeriesVolume[];
  /** Everything in the bundle as plain data (for merging). */
  toInput(): IndexBundleInput;
}

class ParsedBundle implements IndexBundle {
  readonly seriesCount: number;
  readonly chunkCount: number;
  private readonly symbolIds = new Map<string, number>();

  constructor(
    readonly period: number,
    readonly tenant: string,
    private readonly symbols: string[],
    private readonly fingerprints: string[],
    /** Series `s` has label pairs `labelSyms[2k], labelSyms[2k+1]` for k in `[labelStart[s], labelStart[s+1])`. */
    private readonly labelStart: Uint32Array,
    private readonly labelSyms: Uint32Array,
    /** Series `s` has chunks `[chunkStart[s], chunkStart[s+1])` of the chunk columns. */
    private readonly chunkStart: Uint32Array,
    private readonly chunkFrom: BigInt64Array,
    private readonly chunkThrough: BigInt64Array,
    private readonly chunkChecksum: Uint32Array,
    private readonly chunkCompressed: Float64Array,
    private readonly chunkUncompressed: Float64Array,
    private readonly chunkEntries: Float64Array,
    /** name → value → series ordinals, ascending. */
    private readonly postings: Map<string, Map<string, Uint32Array>>,
  ) {
    this.seriesCount = fingerprints.length;
    this.chunkCount = chunkFrom.length;
    symbols.forEach((s, i) => this.symbolIds.set(s, i));
  }

  private labels(s: number): Label[] {
    const out: Label[] = [];
    for (let k = this.labelStart[s] as number; k < (this.labelStart[s + 1] as number); k++) {
      out.push({ name: this.symbols[this.labelSyms[2 * k] as number] as string, value: this.symbols[this.labelSyms[2 * k + 1] as number] as string });
    }
    return out;
  }

  private labelValue(s: number, name: string): string {
    const id = this.symbolIds.get(name);
    if (id === undefined) return '';
    for (let k = this.labelStart[s] as number; k < (this.labelStart[s + 1] as number); k++) {
      if (this.labelSyms[2 * k] === id) return this.symbols[this.labelSyms[2 * k + 1] as number] as string;
    }
    return '';
  }

  private inRange(c: number, startNs: bigint, endNs: bigint): boolean {
    return (this.chunkFrom[c] as bigint) < endNs && (this.chunkThrough[c] as bigint) >= startNs;
  }

  private hasChunkIn(s: number, startNs: bigint, endNs: bigint): boolean {
    for (let c = this.chunkStart[s] as number; c < (this.chunkStart[s + 1] as number); c++) if (this.inRange(c, startNs, endNs)) return true;
    return false;
  }

  /** Ordinals of the series matching every matcher, ascending. */
  private match(matchers: readonly IndexMatcher[], startNs: bigint, endNs: bigint): number[] {
    let candidates: Set<number> | null = null;
    const rest: IndexMatcher[] = [];
    for (const m of matchers) {
      if (m.matches('')) {
        rest.push(m);
        continue;
      }
      // The matcher needs the label: its series are in the postings of the values it accepts.
      const values = this.postings.get(m.name);
      const hit = new Set<number>();
      if (values !== undefined) {
        if (m.type === '=') {
          for (const o of values.get(m.value) ?? []) hit.add(o);
        } else {
          for (const [value, list] of values) if (m.matches(value)) for (const o of list) hit.add(o);
        }
      }
      const prev: Set<number> | null = candidates;
      const next: Set<number> = prev === null ? hit : new Set<number>();
      if (prev !== null) for (const o of prev) if (hit.has(o)) next.add(o);
      if (next.size === 0) return [];
      candidates = next;
    }
    const base = candidates === null ? Array.from({ length: this.seriesCount }, (_, i) => i) : [...candidates].sort((a, b) => a - b);
    const checkTime = startNs !== ALL_TIME[0] || endNs !== ALL_TIME[1];
    return base.filter((s) => rest.every((m) => m.matches(this.labelValue(s, m.name))) && (!checkTime || this.hasChunkIn(s, startNs, endNs)));
  }

  series(matchers: readonly IndexMatcher[], startNs = ALL_TIME[0], endNs = ALL_TIME[1]): SeriesEntry[] {
    return this.match(matchers, startNs, endNs).map((s) => ({ fingerprint: this.fingerprints[s] as string, labels: this.labels(s) }));
  }

  private ordinalOf(fingerprint: string): number {
    let lo = 0;
    let hi = this.fingerprints.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.fingerprints[mid] as string) < fingerprint) lo = mid + 1;
      else hi = mid;
    }
    return this.fingerprints[lo] === fingerprint ? lo : -1;
  }

  private ref(s: number, c: number): ChunkRefWithKey {
    const fingerprint = this.fingerprints[s] as string;
    const fromNs = this.chunkFrom[c] as bigint;
    const throughNs = this.chunkThrough[c] as bigint;
    const checksum = this.chunkChecksum[c] as number;
    return {
      fingerprint,
      fromNs,
      throughNs,
      checksum,
      compressedBytes: this.chunkCompressed[c] as number,
      uncompressedBytes: this.chunkUncompressed[c] as number,
      entries: this.chunkEntries[c] as number,
      key: chunkKey({ tenant: this.tenant, fingerprint, fromNs, throughNs, checksum }),
    };
  }

  chunkRefs(fingerprints: Iterable<string>, startNs: bigint, endNs: bigint): ChunkRefWithKey[] {
    const ordinals = [...new Set(fingerprints)].map((f) => this.ordinalOf(f)).filter((s) => s >= 0).sort((a, b) => a - b);
    const out: ChunkRefWithKey[] = [];
    for (const s of ordinals) {
      for (let c = this.chunkStart[s] as number; c < (this.chunkStart[s + 1] as number); c++) if (this.inRange(c, startNs, endNs)) out.push(this.ref(s, c));
    }
    return out;
  }

  labelNames(startNs: bigint, endNs: bigint, matchers: readonly IndexMatcher[] = []): string[] {
    const names = new Set<string>();
    for (const s of this.match(matchers, startNs, endNs)) {
      for (let k = this.labelStart[s] as number; k < (this.labelStart[s + 1] as number); k++) names.add(this.symbols[this.labelSyms[2 * k] as number] as string);
    }
    return [...names].sort();
  }

  labelValues(name: string, startNs: bigint, endNs: bigint, matchers: readonly IndexMatcher[] = []): string[] {
    const values = this.postings.get(name);
    if (values === undefined) return [];
    const out: string[] = [];
    if (matchers.length === 0) {
      for (const [value, list] of values) if (list.some((s) => this.hasChunkIn(s, startNs, endNs))) out.push(value);
    } else {
      const seen = new Set<string>();
      for (const s of this.match(matchers, startNs, endNs)) {
        const v = this.labelValue(s, name);
        if (v !== '') seen.add(v);
      }
      out.push(...seen);
    }
    return out.sort();
  }

  volumes(matchers: readonly IndexMatcher[], startNs: bigint, endNs: bigint): SeriesVolume[] {
    const out: SeriesVolume[] = [];
    for (const s of this.match(matchers, startNs, endNs)) {
      let chunks = 0;
      let entries = 0;
      let bytes = 0;
      for (let c = this.chunkStart[s] as number; c < (this.chunkStart[s + 1] as number); c++) {
        if (!this.inRange(c, startNs, endNs)) continue;
        const factor = overlapFactor(this.chunkFrom[c] as bigint, this.chunkThrough[c] as bigint, startNs, endNs);
        chunks++;
        entries += Math.floor((this.chunkEntries[c] as number) * factor);
        bytes += Math.floor((this.chunkUncompressed[c] as number) * factor);
      }
      out.push({ fingerprint: this.fingerprints[s] as string, labels: this.labels(s), chunks, entries, bytes });
    }
    return out;
  }

  stats(matchers: readonly IndexMatcher[], startNs: bigint, endNs: bigint): IndexStats {
    let streams = 0;
    let chunks = 0;
    let entries = 0;
    let bytes = 0;
    for (const v of this.volumes(matchers, startNs, endNs)) {
      streams++;
      chunks += v.chunks;
      entries += v.entries;
      bytes += v.bytes;
    }
    return { streams, chunks, entries, bytes };
  }

  toInput(): IndexBundleInput {
    const series: SeriesEntry[] = [];
    const chunks: ChunkRef[] = [];
    for (let s = 0; s < this.seriesCount; s++) {
      series.push({ fingerprint: this.fingerprints[s] as string, labels: this.labels(s) });
      for (let c = this.chunkStart[s] as number; c < (this.chunkStart[s + 1] as number); c++) {
        const { key: _key, ...ref } = this.ref(s, c);
        chunks.push(ref);
      }
    }
    return { period: this.period, tenant: this.tenant, series, chunks };
  }
}

/**
 * Check and parse a bundle. Throws FjordError('index_corrupt', 'index bundle: …') for a bad magic,
 * version, CRC32C or structure.
 */
export function openIndexBundle(bytes: Uint8Array): IndexBundle {
  const outer = new ByteReader(bytes, 'index bundle', 'index_corrupt');
  if (bytes.length < 9) throw outer.fail('truncated');
  const stored = new DataView(bytes.buffer, bytes.byteOffset + bytes.length - 4, 4).getUint32(0, true);
  const computed = crc32c(bytes, 0, bytes.length - 4);
  const r = new ByteReader(bytes, 'index bundle', 'index_corrupt', 0, bytes.length - 4);
  const magic = r.u32be('magic');
  if (magic !== INDEX_BUNDLE_MAGIC) throw r.fail('bad magic');
  if (stored !== computed) throw r.fail('CRC32C mismatch');
  const version = r.u8('version');
  if (version !== INDEX_BUNDLE_VERSION) throw r.fail(`unsupported version ${version}`);
  const period = r.uvarint('period');
  const tenant = r.string('tenant');
  const symbolCount = r.uvarint('symbol count');
  if (symbolCount > r.remaining) throw r.fail('symbol count exceeds the bundle');
  const symbols: string[] = [];
  for (let i = 0; i < symbolCount; i++) symbols.push(r.string('symbol'));
  const sym = (field: string): number => {
    const id = r.uvarint(field);
    if (id >= symbolCount) throw r.fail(`${field} out of range`);
    return id;
  };
  const seriesCount = r.uvarint('series count');
  if (seriesCount * 10 > r.remaining) throw r.fail('series count exceeds the bundle');
  const fingerprints: string[] = [];
  const labelStart = new Uint32Array(seriesCount + 1);
  const labelSyms: number[] = [];
  const chunkStart = new Uint32Array(seriesCount + 1);
  const from: bigint[] = [];
  const through: bigint[] = [];
  const checksums: number[] = [];
  const compressed: number[] = [];
  const uncompressed: number[] = [];
  const entries: number[] = [];
  for (let s = 0; s < seriesCount; s++) {
    const fp = r.u64be('fingerprint').toString(16).padStart(16, '0');
    if (s > 0 && fp <= (fingerprints[s - 1] as string)) throw r.fail('series out of order');
    fingerprints.push(fp);
    const labelCount = r.uvarint('label count');
    for (let k = 0; k < labelCount; k++) labelSyms.push(sym('label name'), sym('label value'));
    labelStart[s + 1] = labelSyms.length / 2;
    const chunkCount = r.uvarint('chunk count');
    let prev = 0n;
    for (let k = 0; k < chunkCount; k++) {
      const f = k === 0 ? r.varintBig('chunk from') : prev + r.uvarintBig('chunk from');
      from.push(BigInt.asIntN(64, f));
      through.push(BigInt.asIntN(64, f + r.uvarintBig('chunk through')));
      checksums.push(r.u32('chunk checksum'));
      compressed.push(r.uvarint('chunk size'));
      uncompressed.push(r.uvarint('chunk uncompressed size'));
      entries.push(r.uvarint('chunk entries'));
      prev = f;
    }
    chunkStart[s + 1] = from.length;
  }
  const postings = new Map<string, Map<string, Uint32Array>>();
  const nameCount = r.uvarint('posting name count');
  for (let n = 0; n < nameCount; n++) {
    const name = symbols[sym('posting name')] as string;
    const valueCount = r.uvarint('posting value count');
    if (valueCount > r.remaining) throw r.fail('posting value count exceeds the bundle');
    const values = new Map<string, Uint32Array>();
    for (let v = 0; v < valueCount; v++) {
      const value = symbols[sym('posting value')] as string;
      const count = r.uvarint('posting length');
      if (count > r.remaining) throw r.fail('posting length exceeds the bundle');
      const list = new Uint32Array(count);
      let o = 0;
      for (let k = 0; k < count; k++) {
        o += r.uvarint('posting');
        if (o >= seriesCount) throw r.fail('posting out of range');
        list[k] = o;
      }
      values.set(value, list);
    }
    postings.set(name, values);
  }
  r.expectEnd();
  return new ParsedBundle(
    period,
    tenant,
    symbols,
    fingerprints,
    labelStart,
    Uint32Array.from(labelSyms),
    chunkStart,
    BigInt64Array.from(from),
    BigInt64Array.from(through),
    Uint32Array.from(checksums),
    Float64Array.from(compressed),
    Float64Array.from(uncompressed),
    Float64Array.from(entries),
    postings,
  );
}
