/**
 * The legacy JSON push body of `POST /api/prom/push` (Loki's `pkg/util/unmarshal/legacy`, a plain
 * JSON decode into `logproto.PushRequest`), which python-logging-loki and other old clients send:
 * `{"streams":[{"labels":"{app=\"x\"}","entries":[{"ts":"2019-09-13T18:32:22.38Z","line":"…",
 * "structuredMetadata":{"k":"v"}}]}]}`. Member names match case-insensitively as Go's decoder does;
 * `ts` is RFC 3339; a missing `ts` is Go's zero time (refused later as too old). Pure.
 */
import { FjordError } from '../errors.js';
import { parseRfc3339Nano } from '../go/index.js';
import type { Label } from '../labels/index.js';
import type { PushEntry, PushRequest, PushStream } from './push.js';

const ENCODER = new TextEncoder();
const TEXT = new TextDecoder('utf-8', { fatal: true });
/** Go's zero time.Time (0001-01-01T00:00:00Z) in Unix nanoseconds. */
const GO_ZERO_TIME_NS = -62_135_596_800n * 1_000_000_000n;

function fail(message: string): never {
  throw new FjordError('bad_request', message);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The value of the member named `name` (case-insensitively, the last match as Go keeps it). */
function member(obj: Record<string, unknown>, name: string): unknown {
  let found: unknown;
  for (const [k, v] of Object.entries(obj)) if (k.toLowerCase() === name) found = v;
  return found;
}

function typeName(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  return v === null ? 'null' : typeof v;
}

function decodeMetadata(v: unknown, at: string): readonly Label[] {
  if (v === undefined || v === null) return [];
  if (!isObject(v)) fail(`${at}.structuredMetadata: cannot unmarshal ${typeName(v)} into Go value of type map[string]string`);
  const out: Label[] = [];
  for (const [name, value] of Object.entries(v)) {
    if (typeof value !== 'string') fail(`${at}.structuredMetadata: cannot unmarshal ${typeName(value)} into Go value of type string`);
    out.push({ name, value });
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function decodeEntry(v: unknown, at: string): PushEntry {
  if (!isObject(v)) fail(`${at}: cannot unmarshal ${typeName(v)} into Go value of type logproto.Entry`);
  const ts = member(v, 'ts');
  let tsNs = GO_ZERO_TIME_NS;
  if (ts !== undefined && ts !== null) {
    const parsed = typeof ts === 'string' ? parseRfc3339Nano(ts) : null;
    if (parsed === null) fail(`${at}.ts: parsing time ${JSON.stringify(JSON.stringify(ts))} as "\\"2006-01-02T15:04:05Z07:00\\"": cannot parse as RFC 3339`);
    tsNs = parsed;
  }
  const line = member(v, 'line');
  if (line !== undefined && line !== null && typeof line !== 'string') fail(`${at}.line: cannot unmarshal ${typeName(line)} into Go value of type string`);
  return { tsNs, line: ENCODER.encode(typeof line === 'string' ? line : ''), structuredMetadata: decodeMetadata(member(v, 'structuredmetadata'), at) };
}

function decodeStream(v: unknown, at: string): PushStream {
  if (!isObject(v)) fail(`${at}: cannot unmarshal ${typeName(v)} into Go value of type logproto.Stream`);
  const labels = member(v, 'labels');
  if (labels !== undefined && labels !== null && typeof labels !== 'string') fail(`${at}.labels: cannot unmarshal ${typeName(labels)} into Go value of type string`);
  const entries = member(v, 'entries');
  if (entries !== undefined && entries !== null && !Array.isArray(entries)) fail(`${at}.entries: cannot unmarshal ${typeName(entries)} into Go value of type []logproto.Entry`);
  return { labels: typeof labels === 'string' ? labels : '', entries: (entries ?? []).map((e: unknown) => decodeEntry(e, `${at}.entries`)) };
}

/**
 * Decode a legacy (`/api/prom/push`) JSON push body. Throws FjordError('bad_request') for a body
 * that is empty (`EOF`), not UTF-8 JSON, or of the wrong shape.
 */
export function decodeLegacyPushJson(body: Uint8Array | string): PushRequest {
  let text: string;
  try {
    text = typeof body === 'string' ? body : TEXT.decode(body);
  } catch {
    fail('push body is not valid UTF-8');
  }
  if (text.trim() === '') fail('EOF');
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    fail(`invalid character in push body: ${(err as Error).message}`);
  }
  if (doc === null) return { streams: [] };
  if (!isObject(doc)) fail(`cannot unmarshal ${typeName(doc)} into Go value of type logproto.PushRequest`);
  const streams = member(doc, 'streams');
  if (streams === undefined || streams === null) return { streams: [] };
  if (!Array.isArray(streams)) fail(`logproto.PushRequest.streams: cannot unmarshal ${typeName(streams)} into Go value of type []logproto.Stream`);
  return { streams: streams.map((s: unknown) => decodeStream(s, 'logproto.PushRequest.streams')) };
}
