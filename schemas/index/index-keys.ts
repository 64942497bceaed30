/**
 * The key and value layout of the ingester's active index (LevelDB, not yet sealed into bundles).
 * Keys are bytes that sort as the queries need: by period, tenant and kind, then series by
 * fingerprint, postings by name then value (order-preserving escapes), chunk refs by series then
 * time, and an append-only log by sequence number, so "written since the last upload" is one range
 * scan from the upload mark. Byte layout: FORMATS.md §4. Pure.
 */
import { ByteReader, ByteWriter } from '../wire/index.js';
import { parseFingerprint } from '../chunk/index.js';
import { FjordError, assertNever } from '../errors.js';
import type { ChunkRef, SeriesEntry } from './index-bundle.js';
import type { Label } from '../labels/index.js';

/** First byte of every index key. */
export const INDEX_KEY_PREFIX = 0x69; // 'i'

/** The kinds of index key, with their byte. */
export const INDEX_KEY_KINDS = { series: 1, posting: 2, chunk: 3, log: 4, upload_mark: 5 } as const;

/** Which kind of index key. */
export type IndexKeyKind = keyof typeof INDEX_KEY_KINDS;

interface KeyScope {
  readonly period: number;
  readonly tenant: string;
}

/** A decoded index key. */
export type IndexKey =
  | (KeyScope & { readonly kind: 'series'; readonly fingerprint: string })
  | (KeyScope & { readonly kind: 'posting'; readonly name: string; readonly value: string; readonly fingerprint: string })
  | (KeyScope & { readonly kind: 'chunk'; readonly fingerprint: string; readonly fromNs: bigint; readonly throughNs: bigint; readonly checksum: number })
  | (KeyScope & { readonly kind: 'log'; readonly seq: bigint })
  | (KeyScope & { readonly kind: 'upload_mark' });

/** A key range for a LevelDB iterator: `gte <= key < lt`. */
export interface KeyRange {
  readonly gte: Uint8Array;
  readonly lt: Uint8Array;
}

/** One record of the index log: a chunk ref with its series, enough to build a bundle. */
export interface IndexLogRecord {
  readonly series: SeriesEntry;
  readonly chunk: ChunkRef;
}

const SIGN = 1n << 63n;
const KIND_BY_BYTE = new Map<number, IndexKeyKind>(Object.entries(INDEX_KEY_KINDS).map(([k, v]) => [v, k as IndexKeyKind]));
const utf8 = new TextEncoder();
const utf8Decode = new TextDecoder('utf-8', { fatal: true });

function scope(w: ByteWriter, period: number, tenant: string, kind: IndexKeyKind): ByteWriter {
  if (!Number.isInteger(period) || period < 0 || period > 0xffffffff) throw new FjordError('invalid_argument', `invalid index period ${period}`);
  const t = utf8.encode(tenant);
  if (t.length === 0 || t.length > 255) throw new FjordError('invalid_argument', `invalid tenant ${JSON.stringify(tenant)}`);
  return w.u8(INDEX_KEY_PREFIX).u32be(period).u8(t.length).bytes(t).u8(INDEX_KEY_KINDS[kind]);
}

/** Timestamps as 8 bytes that sort in numeric order (sign bit flipped, big-endian). */
function writeTs(w: ByteWriter, tsNs: bigint): void {
  w.u64be(BigInt.asUintN(64, tsNs) ^ SIGN);
}

/** Bytes with 0x00 escaped as 00 FF and a 00 01 terminator: byte order of the result is the order of the input. */
function writeEscaped(w: ByteWriter, s: string): void {
  for (const b of utf8.encode(s)) {
    w.u8(b);
    if (b === 0) w.u8(0xff);
  }
  w.u8(0).u8(1);
}

function readEscaped(r: ByteReader, field: string): string {
  const out: number[] = [];
  for (;;) {
    const b = r.u8(field);
    if (b !== 0) {
      out.push(b);
      continue;
    }
    const next = r.u8(field);
    if (next === 1) break;
    if (next !== 0xff) throw r.fail(`bad escape in ${field}`);
    out.push(0);
  }
  try {
    return utf8Decode.decode(Uint8Array.from(out));
  } catch {
    throw r.fail(`${field} is not valid UTF-8`);
  }
}

/** Encode an index key. Throws FjordError('invalid_argument') for a bad period, tenant or fingerprint. */
export function encodeIndexKey(key: IndexKey): Uint8Array {
  const w = scope(new ByteWriter(64), key.period, key.tenant, key.kind);
  switch (key.kind) {
    case 'series':
      w.u64be(parseFingerprint(key.fingerprint));
      break;
    case 'posting':
      writeEscaped(w, key.name);
      writeEscaped(w, key.value);
      w.u64be(parseFingerprint(key.fingerprint));
      break;
    case 'chunk':
      w.u64be(parseFingerprint(key.fingerprint));
      writeTs(w, key.fromNs);
      writeTs(w, key.throughNs);
      w.u32be(key.checksum);
      break;
    case 'log':
      w.u64be(key.seq);
      break;
    case 'upload_mark':
      break;
    default:
      return assertNever(key);
  }
  return w.finish();
}

/** Decode an index key. Throws FjordError('index_corrupt', 'index key: …'). */
export function decodeIndexKey(bytes: Uint8Array): IndexKey {
  const r = new ByteReader(bytes, 'index key', 'index_corrupt');
  if (r.u8('prefix') !== INDEX_KEY_PREFIX) throw r.fail('not an index key');
  const period = r.u32be('period');
  const tenantBytes = r.bytesView(r.u8('tenant length'), 'tenant');
  let tenant: string;
  try {
    tenant = utf8Decode.decode(tenantBytes);
  } catch {
    throw r.fail('tenant is not valid UTF-8');
  }
  const kindByte = r.u8('kind');
  const kind = KIND_BY_BYTE.get(kindByte);
  if (kind === undefined) throw r.fail(`unknown kind ${kindByte}`);
  const fp = (): string => r.u64be('fingerprint').toString(16).padStart(16, '0');
  const ts = (field: string): bigint => BigInt.asIntN(64, r.u64be(field) ^ SIGN);
  let key: IndexKey;
  switch (kind) {
    case 'series':
      key = { kind, period, tenant, fingerprint: fp() };
      break;
    case 'posting': {
      const name = readEscaped(r, 'label name');
      const value = readEscaped(r, 'label value');
      key = { kind, period, tenant, name, value, fingerprint: fp() };
      break;
    }
    case 'chunk': {
      const fingerprint = fp();
      const fromNs = ts('from');
      const throughNs = ts('through');
      key = { kind, period, tenant, fingerprint, fromNs, throughNs, checksum: r.u32be('checksum') };
      break;
    }
    case 'log':
      key = { kind, period, tenant, seq: r.u64be('sequence number') };
      break;
    case 'upload_mark':
      key = { kind, period, tenant };
      break;
    default:
      return assertNever(kind);
  }
  r.expectEnd();
  return key;
}

/** The smallest key greater than every key starting with `prefix`. */
function prefixEnd(prefix: Uint8Array): Uint8Array {
  const end = prefix.slice();
  for (let i = end.length - 1; i >= 0; i--) {
    if ((end[i] as number) < 0xff) {
      end[i] = (end[i] as number) + 1;
      return end.subarray(0, i + 1);
    }
  }
  throw new FjordError('internal', 'prefix has no successor');
}

function prefixRange(prefix: Uint8Array): KeyRange {
  return { gte: prefix, lt: prefixEnd(prefix) };
}

/** All keys of one kind for a period and tenant. */
export function indexKindRange(period: number, tenant: string, kind: IndexKeyKind): KeyRange {
  return prefixRange(scope(new ByteWriter(32), period, tenant, kind).finish());
}

/** Posting keys of a label name, or of one name and value; values come in byte order. */
export function postingRange(period: number, tenant: string, name: string, value?: string): KeyRange {
  const w = scope(new ByteWriter(64), period, tenant, 'posting');
  writeEscaped(w, name);
  if (value !== undefined) writeEscaped(w, value);
  return prefixRange(w.finish());
}

/** Chunk ref keys of one series, by time. */
export function chunkRefRange(period: number, tenant: string, fingerprint: string): KeyRange {
  return prefixRange(scope(new ByteWriter(32), period, tenant, 'chunk').u64be(parseFingerprint(fingerprint)).finish());
}

/** Log keys after sequence number `afterSeq` (all of them for null): what the next bundle seals. */
export function indexLogRangeAfter(period: number, tenant: string, afterSeq: bigint | null): KeyRange {
  const all = indexKindRange(period, tenant, 'log');
  if (afterSeq === null) return all;
  if (afterSeq >= (1n << 64n) - 1n) return { gte: all.lt, lt: all.lt };
  return { gte: encodeIndexKey({ kind: 'log', period, tenant, seq: afterSeq + 1n }), lt: all.lt };
}

/** Value of a series key: its labels (count, then name and value strings). */
export function encodeSeriesValue(labels: readonly Label[]): Uint8Array {
  const w = new ByteWriter(64).uvarint(labels.length);
  for (const l of labels) w.string(l.name).string(l.value);
  return w.finish();
}

function readLabels(r: ByteReader): Label[] {
  const n = r.uvarint('label count');
  if (n > r.remaining) throw r.fail('label count exceeds the value');
  const out: Label[] = [];
  for (let i = 0; i < n; i++) out.push({ name: r.string('label name'), value: r.string('label value') });
  return out;
}

/** Decode a series value. Throws FjordError('index_corrupt'). */
export function decodeSeriesValue(bytes: Uint8Array): Label[] {
  const r = new ByteReader(bytes, 'series value', 'index_corrupt');
  const labels = readLabels(r);
  r.expectEnd();
  return labels;
}

/** Value of a chunk ref key: object size, uncompressed size, entries (uvarints). */
export function encodeChunkRefValue(ref: Pick<ChunkRef, 'compressedBytes' | 'uncompressedBytes' | 'entries'>): Uint8Array {
  return new ByteWriter(16).uvarint(ref.compressedBytes).uvarint(ref.uncompressedBytes).uvarint(ref.entries).finish();
}

/** Decode a chunk ref key and its value into a ref. Throws FjordError('index_corrupt'). */
export function decodeChunkRefEntry(key: Uint8Array, value: Uint8Array): ChunkRef {
  const k = decodeIndexKey(key);
  if (k.kind !== 'chunk') throw new FjordError('index_corrupt', `index key: expected a chunk key, got ${k.kind}`);
  const r = new ByteReader(value, 'chunk ref value', 'index_corrupt');
  const compressedBytes = r.uvarint('chunk size');
  const uncompressedBytes = r.uvarint('uncompressed size');
  const entries = r.uvarint('entries');
  r.expectEnd();
  return { fingerprint: k.fingerprint, fromNs: k.fromNs, throughNs: k.throughNs, checksum: k.checksum, compressedBytes, uncompressedBytes, entries };
}

/** Value of a log key: the series labels and the chunk ref. */
export function encodeIndexLogValue(rec: IndexLogRecord): Uint8Array {
  const c = rec.chunk;
  if (c.fingerprint !== rec.series.fingerprint) throw new FjordError('invalid_argument', 'index log record: chunk and series fingerprints differ');
  const w = new ByteWriter(128).u64be(parseFingerprint(c.fingerprint));
  w.bytes(encodeSeriesValue(rec.series.labels));
  w.varintBig(c.fromNs).uvarintBig(c.throughNs - c.fromNs).u32(c.checksum);
  w.uvarint(c.compressedBytes).uvarint(c.uncompressedBytes).uvarint(c.entries);
  return w.finish();
}

/** Decode a log value. Throws FjordError('index_corrupt'). */
export function decodeIndexLogValue(bytes: Uint8Array): IndexLogRecord {
  const r = new ByteReader(bytes, 'index log value', 'index_corrupt');
  const fingerprint = r.u64be('fingerprint').toString(16).padStart(16, '0');
  const labels = readLabels(r);
  const fromNs = r.varintBig('from');
  const throughNs = BigInt.asIntN(64, fromNs + r.uvarintBig('through'));
  const checksum = r.u32('checksum');
  const compressedBytes = r.uvarint('chunk size');
  const uncompressedBytes = r.uvarint('uncompressed size');
  const entries = r.uvarint('entries');
  r.expectEnd();
  return { series: { fingerprint, labels }, chunk: { fingerprint, fromNs, throughNs, checksum, compressedBytes, uncompressedBytes, entries } };
}

/** Value of the upload mark: the last sequence number sealed into an uploaded bundle (8 bytes, big-endian). */
export function encodeUploadMarkValue(seq: bigint): Uint8Array {
  return new ByteWriter(8).u64be(seq).finish();
}

/** Decode the upload mark. Throws FjordError('index_corrupt'). */
export function decodeUploadMarkValue(bytes: Uint8Array): bigint {
  const r = new ByteReader(bytes, 'upload mark', 'index_corrupt');
  const seq = r.u64be('sequence number');
  r.expectEnd();
  return seq;
}
