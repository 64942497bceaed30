/**
 * Log deletion requests (Loki's delete API) as the compactor stores them in the object store, so
 * that any compactor that leads finds them and every querier can filter by them:
 *
 *   compactor/delete-requests/<tenant>/<request id>/request        the request (immutable)
 *   compactor/delete-requests/<tenant>/<request id>/processed-<n>  written once piece n is done
 *
 * A request with line filters is split into pieces of at most `delete_max_interval` (Loki's
 * shards); the compactor processes them one by one and marks each. The request body is JSON
 * (FORMATS.md §3). Pure.
 */
import { FjordError } from '../errors.js';
import { validateTenantId } from '../labels/index.js';

/** The prefix under which every delete request is stored. */
export const DELETE_REQUESTS_PREFIX = 'compactor/delete-requests/';

/** One piece of a request: entries with start ≤ ts ≤ end (ms, both inclusive, as Loki's). */
export interface DeleteInterval {
  readonly startMs: number;
  readonly endMs: number;
}

/** A delete request as stored. */
export interface DeleteRequest extends DeleteInterval {
  readonly requestId: string;
  readonly tenant: string;
  /** The LogQL log query whose entries are deleted. */
  readonly query: string;
  readonly createdAtMs: number;
  /** The pieces, in time order, covering [startMs, endMs]. */
  readonly shards: readonly DeleteInterval[];
}

/** What a key under DELETE_REQUESTS_PREFIX names. */
export type DeleteRequestObject =
  | { readonly kind: 'request'; readonly tenant: string; readonly requestId: string }
  | { readonly kind: 'processed'; readonly tenant: string; readonly requestId: string; readonly shard: number };

const REQUEST_ID = /^[0-9a-f]{8}$/;
const OBJECT_KEY = /^compactor\/delete-requests\/([^/]+)\/([0-9a-f]{8})\/(request|processed-(0|[1-9][0-9]{0,6}))$/;

function checkIds(tenant: string, requestId: string): void {
  validateTenantId(tenant);
  if (!REQUEST_ID.test(requestId)) throw new FjordError('invalid_object_key', `invalid delete request id ${JSON.stringify(requestId)}`);
}

/** The prefix of one tenant's requests, or of every tenant's. */
export function deleteRequestsPrefix(tenant?: string): string {
  if (tenant === undefined) return DELETE_REQUESTS_PREFIX;
  validateTenantId(tenant);
  return `${DELETE_REQUESTS_PREFIX}${tenant}/`;
}

/** The key of a request's body. Throws for a bad tenant or id. */
export function deleteRequestKey(tenant: string, requestId: string): string {
  checkIds(tenant, requestId);
  return `${DELETE_REQUESTS_PREFIX}${tenant}/${requestId}/request`;
}

/** The key of the mark saying piece `shard` of a request is processed. */
export function deleteProcessedKey(tenant: string, requestId: string, shard: number): string {
  checkIds(tenant, requestId);
  if (!Number.isSafeInteger(shard) || shard < 0 || shard > 9_999_999) throw new FjordError('invalid_object_key', `invalid delete request piece ${shard}`);
  return `${DELETE_REQUESTS_PREFIX}${tenant}/${requestId}/processed-${shard}`;
}

/** What a key names, or null for any other key. */
export function parseDeleteRequestObjectKey(key: string): DeleteRequestObject | null {
  const m = OBJECT_KEY.exec(key);
  if (m === null) return null;
  const tenant = m[1] as string;
  const requestId = m[2] as string;
  return m[3] === 'request' ? { kind: 'request', tenant, requestId } : { kind: 'processed', tenant, requestId, shard: Number(m[4]) };
}

function fnv1Bytes(h: number, bytes: Uint8Array): number {
  for (const b of bytes) h = (Math.imul(h, 0x01000193) ^ b) >>> 0;
  return h;
}

/**
 * A request id as Loki makes one: FNV-1 32 over the tenant, the creation time (ns, 8 bytes little
 * endian) and the query, as 8 hex digits.
 */
export function newDeleteRequestId(tenant: string, query: string, nowNs: bigint): string {
  const utf8 = new TextEncoder();
  const time = new Uint8Array(8);
  new DataView(time.buffer).setBigUint64(0, BigInt.asUintN(64, nowNs), true);
  let h = fnv1Bytes(0x811c9dc5, utf8.encode(tenant));
  h = fnv1Bytes(h, time);
  h = fnv1Bytes(h, utf8.encode(query));
  return h.toString(16).padStart(8, '0');
}

/**
 * The pieces of [startMs, endMs] of at most `intervalMs` each, aligned to the interval except the
 * first start and the last end (Loki's `ForInterval` with an exclusive end: neighbours share their
 * boundary millisecond). One piece when `intervalMs` is 0 or covers the whole range.
 */
export function splitDeleteInterval(startMs: number, endMs: number, intervalMs: number): DeleteInterval[] {
  if (intervalMs <= 0 || intervalMs >= endMs - startMs) return [{ startMs, endMs }];
  const out: DeleteInterval[] = [];
  let first = true;
  for (let s = startMs - (((startMs % intervalMs) + intervalMs) % intervalMs); s < endMs; s += intervalMs) {
    out.push({ startMs: first ? startMs : s, endMs: Math.min(s + intervalMs, endMs) });
    first = false;
  }
  return out;
}

/** Loki's status of a request: `received`, `processed`, or `<n>% Complete` for some pieces done. */
export function deleteRequestStatus(processed: number, total: number): string {
  if (processed === 0) return 'received';
  if (processed >= total) return 'processed';
  return `${Math.trunc((processed / total) * 100)}% Complete`;
}

/** True when an entry at `tsNs` is inside [startMs, endMs] (Loki compares at ms, both ends in). */
export function inDeleteInterval(tsNs: bigint, interval: DeleteInterval): boolean {
  return tsNs >= BigInt(interval.startMs) * 1_000_000n && tsNs <= BigInt(interval.endMs) * 1_000_000n + 999_999n;
}

/** The body of a request. */
export function encodeDeleteRequest(r: DeleteRequest): Uint8Array {
  checkIds(r.tenant, r.requestId);
  const body = {
    format: 'fjord-delete-request-1',
    request_id: r.requestId,
    tenant: r.tenant,
    query: r.query,
    start_ms: r.startMs,
    end_ms: r.endMs,
    created_at_ms: r.createdAtMs,
    shards: r.shards.map((s) => [s.startMs, s.endMs]),
  };
  return new TextEncoder().encode(JSON.stringify(body) + '\n');
}

function isMs(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v);
}

/** A request from its body. Throws FjordError('index_corrupt') for anything else. */
export function decodeDeleteRequest(bytes: Uint8Array): DeleteRequest {
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes)) as Record<string, unknown>;
  } catch {
    throw new FjordError('index_corrupt', 'delete request: not valid JSON');
  }
  const shards = body.shards;
  if (
    body.format !== 'fjord-delete-request-1' || typeof body.request_id !== 'string' || typeof body.tenant !== 'string' ||
    typeof body.query !== 'string' || !isMs(body.start_ms) || !isMs(body.end_ms) || !isMs(body.created_at_ms) ||
    !Array.isArray(shards) || shards.length === 0 || !shards.every((s) => Array.isArray(s) && s.length === 2 && isMs(s[0]) && isMs(s[1]))
  ) {
    throw new FjordError('index_corrupt', 'delete request: missing or malformed fields');
  }
  return {
    requestId: body.request_id,
    tenant: body.tenant,
    query: body.query,
    startMs: body.start_ms,
    endMs: body.end_ms,
    createdAtMs: body.created_at_ms,
    shards: (shards as Array<[number, number]>).map(([startMs, endMs]) => ({ startMs, endMs })),
  };
}

/** The objects of one request found in a listing: its body's key, and when each piece was processed. */
export interface DeleteRequestListing {
  readonly tenant: string;
  readonly requestId: string;
  /** The body's key, or null when only marks are left (a cancel in progress). */
  readonly requestKey: string | null;
  /** Processed pieces: index → when the mark was written (ms). */
  readonly processed: ReadonlyMap<number, number>;
}

/** Group a listing of DELETE_REQUESTS_PREFIX by request; other keys are ignored. */
export function groupDeleteRequestObjects(objects: Iterable<{ readonly key: string; readonly lastModifiedMs: number }>): DeleteRequestListing[] {
  const byId = new Map<string, { tenant: string; requestId: string; requestKey: string | null; processed: Map<number, number> }>();
  for (const o of objects) {
    const parsed = parseDeleteRequestObjectKey(o.key);
    if (parsed === null) continue;
    const id = `${parsed.tenant}/${parsed.requestId}`;
    let entry = byId.get(id);
    if (!entry) {
      entry = { tenant: parsed.tenant, requestId: parsed.requestId, requestKey: null, processed: new Map() };
      byId.set(id, entry);
    }
    if (parsed.kind === 'request') entry.requestKey = o.key;
    else entry.processed.set(parsed.shard, o.lastModifiedMs);
  }
  return [...byId.values()];
}
