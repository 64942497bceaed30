/**
 * Object store keys for chunks and index bundles, and the index period (days since the Unix epoch,
 * as Loki names its `index_<period>` tables). Chunk keys are content-addressed: rebuilding the same
 * chunk gives the same key. Pure. Layouts: FORMATS.md §3.
 */
import { FjordError } from '../errors.js';

/** Nanoseconds in one index period (24h, Loki's `schema_config` `index.period`). */
export const INDEX_PERIOD_NS = 86_400_000_000_000n;

/** What a chunk key is made of. */
export interface ChunkKeyParts {
  readonly tenant: string;
  /** Stream fingerprint, 16 lowercase hex digits. */
  readonly fingerprint: string;
  /** The chunk's first and last entry timestamps, ns, inclusive. */
  readonly fromNs: bigint;
  readonly throughNs: bigint;
  /** The chunk's content checksum (`EncodedChunk.checksum`). */
  readonly checksum: number;
}

/** What an index bundle key is made of. */
export interface IndexBundleKeyParts {
  readonly period: number;
  readonly tenant: string;
  readonly bundleId: string;
}

const TENANT = /^[A-Za-z0-9!\-_.*'()]{1,150}$/;
const FINGERPRINT = /^[0-9a-f]{16}$/;
const BUNDLE_ID = /^[A-Za-z0-9_.-]{1,200}$/;
const CHUNK_KEY = /^([^/]+)\/chunks\/([0-9a-f]{16})\/([0-9a-f]{16})-([0-9a-f]{16})-([0-9a-f]{8})$/;
const BUNDLE_KEY = /^index\/(0|[1-9][0-9]{0,9})\/([^/]+)\/([^/]+)$/;

function bad(what: string, value: string): FjordError {
  return new FjordError('invalid_object_key', `invalid ${what} ${JSON.stringify(value)}`);
}

function checkTenant(tenant: string): void {
  if (!TENANT.test(tenant) || tenant === '.' || tenant === '..') throw bad('tenant in object key', tenant);
}

/** A 64-bit timestamp as 16 hex digits (two's complement), so keys of one stream sort by time. */
function tsHex(tsNs: bigint): string {
  return BigInt.asUintN(64, tsNs).toString(16).padStart(16, '0');
}

/** `<tenant>/chunks/<fingerprint>/<fromNs hex16>-<throughNs hex16>-<checksum hex8>`. Throws FjordError('invalid_object_key'). */
export function chunkKey(parts: ChunkKeyParts): string {
  checkTenant(parts.tenant);
  if (!FINGERPRINT.test(parts.fingerprint)) throw bad('fingerprint in chunk key', parts.fingerprint);
  const checksum = (parts.checksum >>> 0).toString(16).padStart(8, '0');
  return `${parts.tenant}/chunks/${parts.fingerprint}/${tsHex(parts.fromNs)}-${tsHex(parts.throughNs)}-${checksum}`;
}

/** The parts of a chunk key. Throws FjordError('invalid_object_key') for anything else. */
export function parseChunkKey(key: string): ChunkKeyParts {
  const m = CHUNK_KEY.exec(key);
  if (m === null) throw bad('chunk key', key);
  const tenant = m[1] as string;
  const fingerprint = m[2] as string;
  checkTenant(tenant);
  return {
    tenant,
    fingerprint,
    fromNs: BigInt.asIntN(64, BigInt(`0x${m[3] as string}`)),
    throughNs: BigInt.asIntN(64, BigInt(`0x${m[4] as string}`)),
    checksum: Number.parseInt(m[5] as string, 16),
  };
}

/** The prefix listing a tenant's chunks (`<tenant>/chunks/`), or one stream's (`<tenant>/chunks/<fingerprint>/`). */
export function chunkKeyPrefix(tenant: string, fingerprint?: string): string {
  checkTenant(tenant);
  if (fingerprint === undefined) return `${tenant}/chunks/`;
  if (!FINGERPRINT.test(fingerprint)) throw bad('fingerprint in chunk key', fingerprint);
  return `${tenant}/chunks/${fingerprint}/`;
}

/** The index period (days since the Unix epoch, floored) of a timestamp in ns. */
export function indexPeriod(tsNs: bigint): number {
  let q = tsNs / INDEX_PERIOD_NS;
  if (tsNs < 0n && q * INDEX_PERIOD_NS !== tsNs) q -= 1n;
  return Number(q);
}

/** Every index period an inclusive time range touches, ascending (a chunk is indexed in each). */
export function indexPeriodsOverlapping(fromNs: bigint, throughNs: bigint): number[] {
  const out: number[] = [];
  for (let p = indexPeriod(fromNs); p <= indexPeriod(throughNs); p++) out.push(p);
  return out;
}

/** Loki's name of a period's index table: `prefix` + period (`index_19723`). */
export function indexTableName(prefix: string, period: number): string {
  return `${prefix}${period}`;
}

function checkPeriod(period: number): void {
  if (!Number.isSafeInteger(period) || period < 0) throw bad('index period', String(period));
}

/** `index/<period>/<tenant>/<bundleId>`. Throws FjordError('invalid_object_key'). */
export function indexBundleKey(parts: IndexBundleKeyParts): string {
  checkPeriod(parts.period);
  checkTenant(parts.tenant);
  if (!BUNDLE_ID.test(parts.bundleId) || parts.bundleId === '.' || parts.bundleId === '..') throw bad('index bundle id', parts.bundleId);
  return `index/${parts.period}/${parts.tenant}/${parts.bundleId}`;
}

/** The parts of an index bundle key. Throws FjordError('invalid_object_key') for anything else. */
export function parseIndexBundleKey(key: string): IndexBundleKeyParts {
  const m = BUNDLE_KEY.exec(key);
  if (m === null) throw bad('index bundle key', key);
  const parts = { period: Number(m[1]), tenant: m[2] as string, bundleId: m[3] as string };
  indexBundleKey(parts);
  return parts;
}

/** The prefix listing one period's bundles (`index/<period>/`), or one tenant's in it (`index/<period>/<tenant>/`). */
export function indexBundlePrefix(period: number, tenant?: string): string {
  checkPeriod(period);
  if (tenant === undefined) return `index/${period}/`;
  checkTenant(tenant);
  return `index/${period}/${tenant}/`;
}
