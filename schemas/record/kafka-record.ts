/**
 * Fjord's Kafka record layout (schemas/FORMATS.md): the value is a protobuf `logproto.PushRequest`
 * holding streams of ONE tenant (or, with header `content-type: application/json`, a Loki JSON push
 * body); the key is the tenant id, as in Loki's records; header `tenant` repeats it and header
 * `content-type` names the value's encoding (`application/x-protobuf` when absent). Splitting packs
 * streams greedily below the maximum record size and splits a stream too big for one record into
 * parts that each repeat its labels, entries in order — Loki's `pkg/kafka/encoding.go` rule, with
 * sizes computed, not measured. Pure.
 */
import { FjordError } from '../errors.js';
import type { PushEntry, PushRequest, PushStream } from './push.js';
import { decodePushJson } from './push-json.js';
import { decodePushProtobuf, encodePushProtobuf, entryBodySize, fieldSize, labelsFieldSize, writeStream } from './push-protobuf.js';
import { ProtoWriter } from '../wire/index.js';
import { validateTenantId } from '../labels/index.js';

/** Header carrying the tenant id (UTF-8). */
export const TENANT_HEADER = 'tenant';
/** Header naming the value's encoding. */
export const CONTENT_TYPE_HEADER = 'content-type';
/** Content type of protobuf `logproto.PushRequest` values (the default). */
export const PROTOBUF_CONTENT_TYPE = 'application/x-protobuf';
/** Content type of Loki JSON push values. */
export const JSON_CONTENT_TYPE = 'application/json';

/** The parts of a Kafka record this layout uses. */
export interface RecordParts {
  readonly key: Uint8Array | null;
  readonly value: Uint8Array;
  readonly headers: Readonly<Record<string, Uint8Array>>;
}

/** A decoded record: whose streams, and the streams. */
export interface DecodedRecord {
  readonly tenant: string;
  readonly request: PushRequest;
}

const ENCODER = new TextEncoder();
const UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The streams each value made by `splitIntoRecords` holds, until it is read back: the first
 * `decodeRecord` of the very same value (a record read back in the process that wrote it, as the
 * embedded log hands its newest records to the ingester) takes them instead of decoding the bytes
 * again, and they are let go then, so that a value the log still keeps does not keep its decoded
 * entries alive too. Later reads of that value, and values read from a file or the network,
 * decode the bytes.
 */
const WRITTEN = new WeakMap<Uint8Array, PushRequest>();

/** The streams `splitIntoRecords` made `value` of, once: the entry is removed as it is read. */
function takeWritten(value: Uint8Array): PushRequest | undefined {
  const request = WRITTEN.get(value);
  if (request !== undefined) WRITTEN.delete(value);
  return request;
}

/** The value of a record holding `streams` (protobuf PushRequest, uncompressed). */
export function encodeRecordValue(streams: readonly PushStream[]): Uint8Array {
  return encodePushProtobuf({ streams });
}

/** Key and headers of a protobuf record of `tenant`. Throws FjordError('bad_request') for an invalid tenant id. */
export function recordKeyAndHeaders(tenant: string): { key: Uint8Array; headers: Record<string, Uint8Array> } {
  validateTenantId(tenant);
  const key = ENCODER.encode(tenant);
  return { key, headers: { [TENANT_HEADER]: key, [CONTENT_TYPE_HEADER]: ENCODER.encode(PROTOBUF_CONTENT_TYPE) } };
}

function text(bytes: Uint8Array, what: string): string {
  try {
    return UTF8.decode(bytes);
  } catch {
    throw new FjordError('bad_request', `malformed record: ${what} is not valid UTF-8`);
  }
}

/**
 * Read a record back. The tenant comes from the `tenant` header, else the key; both present and
 * different, neither present, or an invalid tenant id is FjordError('bad_request'), as is an
 * unknown content type or a value that does not decode (its decoder's message, prefixed).
 */
export function decodeRecord(rec: RecordParts): DecodedRecord {
  const header = rec.headers[TENANT_HEADER];
  const fromHeader = header === undefined ? null : text(header, 'the tenant header');
  const fromKey = rec.key === null || rec.key.length === 0 ? null : text(rec.key, 'the record key');
  if (fromHeader !== null && fromKey !== null && fromHeader !== fromKey) {
    throw new FjordError('bad_request', `malformed record: key tenant '${fromKey}' differs from tenant header '${fromHeader}'`);
  }
  const tenant = fromHeader ?? fromKey;
  if (tenant === null || tenant === '') throw new FjordError('bad_request', 'malformed record: no tenant (neither a tenant header nor a key)');
  try {
    validateTenantId(tenant);
  } catch (err) {
    throw new FjordError('bad_request', `malformed record: ${(err as Error).message}`, { cause: err });
  }
  const typeHeader = rec.headers[CONTENT_TYPE_HEADER];
  const contentType = typeHeader === undefined ? PROTOBUF_CONTENT_TYPE : text(typeHeader, 'the content-type header');
  let request: PushRequest;
  try {
    if (contentType === PROTOBUF_CONTENT_TYPE) request = takeWritten(rec.value) ?? decodePushProtobuf(rec.value);
    else if (contentType === JSON_CONTENT_TYPE) request = decodePushJson(rec.value);
    else throw new FjordError('bad_request', `unsupported content-type '${contentType}'`);
  } catch (err) {
    if (err instanceof FjordError) throw new FjordError('bad_request', `malformed record of tenant '${tenant}': ${err.message}`, { cause: err });
    throw err;
  }
  return { tenant, request };
}

/** A stream's entries going into one record, with their entry body sizes. */
interface RecordPart {
  readonly labels: string;
  readonly entries: readonly PushEntry[];
  readonly bodies: readonly number[];
}

/** One record being filled: stream parts and the PushRequest size so far. */
interface OpenRecord {
  parts: RecordPart[];
  size: number;
}

/**
 * Pack the streams of one tenant and partition into record values of at most `maxRecordBytes`
 * each: whole streams while they fit, a stream too big for one record split across records (each
 * part repeats the labels; entries keep their order). Throws FjordError('log_record_too_large')
 * with Loki's `single entry size (%d) exceeds maximum allowed size (%d)` when one entry with its
 * stream's labels cannot fit a record; the size reported is the entry's (Loki's `1 + l + sov(l)`).
 */
export function splitIntoRecords(streams: readonly PushStream[], maxRecordBytes: number): Uint8Array[] {
  if (!Number.isInteger(maxRecordBytes) || maxRecordBytes <= 0) {
    throw new FjordError('invalid_argument', `maximum record size must be a positive integer, got ${maxRecordBytes}`);
  }
  const done: OpenRecord[] = [];
  let open: OpenRecord = { parts: [], size: 0 };
  const flush = (): void => {
    if (open.parts.length > 0) done.push(open);
    open = { parts: [], size: 0 };
  };
  for (const s of streams) {
    const labelsSize = labelsFieldSize(s.labels);
    const bodies = s.entries.map(entryBodySize);
    const sizes = bodies.map(fieldSize);
    let body = labelsSize;
    for (const e of sizes) body += e;
    const whole = fieldSize(body);
    if (open.size + whole <= maxRecordBytes) {
      open.parts.push({ labels: s.labels, entries: s.entries, bodies });
      open.size += whole;
      continue;
    }
    if (whole <= maxRecordBytes) {
      flush();
      open.parts.push({ labels: s.labels, entries: s.entries, bodies });
      open.size = whole;
      continue;
    }
    if (sizes.length === 0) {
      throw new FjordError('log_record_too_large', `stream labels size (${labelsSize}) exceeds maximum allowed size (${maxRecordBytes})`);
    }
    // Split: fill the open record first, then new ones.
    let from = 0;
    let partBody = labelsSize;
    for (let i = 0; i < sizes.length; i++) {
      const e = sizes[i] as number;
      if (fieldSize(labelsSize + e) > maxRecordBytes) {
        throw new FjordError('log_record_too_large', `single entry size (${e}) exceeds maximum allowed size (${maxRecordBytes})`);
      }
      if (open.size + fieldSize(partBody + e) > maxRecordBytes) {
        if (i > from) {
          open.parts.push({ labels: s.labels, entries: s.entries.slice(from, i), bodies: bodies.slice(from, i) });
          open.size += fieldSize(partBody);
        }
        flush();
        from = i;
        partBody = labelsSize;
      }
      partBody += e;
    }
    open.parts.push({ labels: s.labels, entries: s.entries.slice(from), bodies: bodies.slice(from) });
    open.size += fieldSize(partBody);
  }
  flush();
  return done.map((r) => {
    const w = new ProtoWriter(r.size);
    for (const p of r.parts) writeStream(w, p.labels, p.entries, p.bodies);
    const value = w.finish();
    WRITTEN.set(value, { streams: r.parts.map((p) => ({ labels: p.labels, entries: p.entries })) });
    return value;
  });
}
