/**
 * Loki's protobuf push body (`logproto.PushRequest`, schemas/push.proto), already snappy-decoded,
 * to and from the PushRequest model. Pure.
 *
 * Decoding follows Loki's hand-written `Stream`/`Entry` unmarshalling (`pkg/push/types.go`) and the
 * gogo-generated `PushRequest`/`LabelPairAdapter` code (`pkg/push/push.pb.go`): same field
 * numbers, wire-type checks, last-wins for repeated scalar fields, unknown fields skipped, and the
 * same error texts (`unexpected EOF`, `proto: wrong wireType = 0 for field Line`, …). Two things
 * Loki does not do and Fjord does (proto3's rule): every string — labels, lines, structured
 * metadata — must be valid UTF-8. Lines are subarrays of the input, never copied. The `parsed`
 * field (4) of an entry is read and checked, then dropped, as the write path has no use for it.
 */
import { isUtf8 } from 'node:buffer';
import type { Label } from '../labels/index.js';
import type { PushEntry, PushRequest, PushStream } from './push.js';
import {
  ProtoReader,
  ProtoWriter,
  WIRE_END_GROUP,
  WIRE_LEN,
  WIRE_VARINT,
  int64VarintSize,
  malformed,
  tagFieldNumber,
  tagText,
  utf8Length,
  varintSize,
} from '../wire/index.js';

/** Seconds of 0001-01-01T00:00:00Z, the earliest timestamp Loki accepts (`pkg/push/timestamp.go`). */
export const MIN_TIMESTAMP_SECONDS = -62135596800;
/** Seconds of 10000-01-01T00:00:00Z, the first timestamp Loki rejects. */
export const MAX_TIMESTAMP_SECONDS = 253402300800;
/**
 * The tsNs of an entry sent without a timestamp: Go's zero `time.Time` (0001-01-01T00:00:00Z),
 * which is what Loki's decoder leaves in the entry. Validation rejects it as too old.
 */
export const MISSING_TIMESTAMP_NS = BigInt(MIN_TIMESTAMP_SECONDS) * 1_000_000_000n;

const NO_LABELS: readonly Label[] = Object.freeze([]);
const UTF8 = new TextDecoder('utf-8', { fatal: true });
const NS_PER_S = 1_000_000_000n;

/** Per-request decoding state: the first non-UTF-8 string seen in the current stream, and a seconds cache. */
interface StreamState {
  badUtf8: string | null;
  lastSeconds: number;
  lastSecondsNs: bigint;
  /** Label pairs decoded from short encodings, by those bytes (a few distinct pairs repeat per entry). */
  pairs: PairMemo[];
  /** Set when the last label pair decoded had a string that is not UTF-8. */
  pairWasBad: boolean;
  /** The canonical body size of the entry's last timestamp field decoded (-1: none yet). */
  tsBodySize: number;
}

/** A label pair's encoded body (a copy) and the frozen pair it decodes to. */
interface PairMemo {
  readonly body: Uint8Array;
  readonly label: Label;
}

/** Pair bodies up to this long are remembered, at most PAIR_MEMO_MAX of them per request. */
const PAIR_MEMO_BYTES = 64;
const PAIR_MEMO_MAX = 16;

function decodeText(bytes: Uint8Array): string | null {
  try {
    return UTF8.decode(bytes);
  } catch {
    return null;
  }
}

function illegalTag(message: string, lo: number, hi: number): never {
  throw malformed(`proto: ${message}: illegal tag ${tagFieldNumber(lo, hi)} (wire type ${tagText(lo, hi)})`);
}

function wrongWireType(wireType: number, field: string): never {
  throw malformed(`proto: wrong wireType = ${wireType} for field ${field}`);
}

/** Narrow the reader to the next length-delimited field and return the end to restore afterwards. */
function enter(r: ProtoReader): number {
  const len = r.readLength();
  const outer = r.end;
  r.end = r.pos + len;
  return outer;
}

/**
 * Decode a snappy-decoded protobuf `logproto.PushRequest`. Streams and entries keep the order sent;
 * an empty body is a request with no streams. Throws FjordError('bad_request') with Loki's message
 * for malformed protobuf, Loki's `timestamp: … before 0001-01-01` family for out-of-range
 * timestamps, and a message naming the stream for strings that are not UTF-8.
 */
export function decodePushProtobuf(bytes: Uint8Array): PushRequest {
  const r = new ProtoReader(bytes);
  const streams: PushStream[] = [];
  const state: StreamState = { badUtf8: null, lastSeconds: NaN, lastSecondsNs: 0n, pairs: [], pairWasBad: false, tsBodySize: -1 };
  while (r.pos < r.end) {
    const lo = r.readVarint();
    const hi = r.hi;
    const wireType = lo & 7;
    if (wireType === WIRE_END_GROUP) throw malformed('proto: PushRequest: wiretype end group for non-group');
    const field = tagFieldNumber(lo, hi);
    if (field <= 0) illegalTag('PushRequest', lo, hi);
    if (field === 1) {
      if (wireType !== WIRE_LEN) wrongWireType(wireType, 'Streams');
      const outer = enter(r);
      streams.push(decodeStream(r, state));
      r.end = outer;
    } else if (field === 2) {
      if (wireType !== WIRE_LEN) wrongWireType(wireType, 'Format');
      r.readBytes();
    } else r.skip(wireType);
  }
  return { streams };
}

function decodeStream(r: ProtoReader, state: StreamState): PushStream {
  let labels = '';
  const entries: PushEntry[] = [];
  state.badUtf8 = null;
  while (r.pos < r.end) {
    const lo = r.readVarint();
    const hi = r.hi;
    const wireType = lo & 7;
    if (wireType === WIRE_END_GROUP) throw malformed('proto: StreamAdapter: wiretype end group for non-group');
    const field = tagFieldNumber(lo, hi);
    if (field <= 0) illegalTag('StreamAdapter', lo, hi);
    switch (field) {
      case 1: {
        // Loki's text names the wrong field here (pkg/push/types.go Stream.Unmarshal); kept as Loki has it.
        if (wireType !== WIRE_LEN) wrongWireType(wireType, 'StructuredMetadata');
        const raw = r.readBytes();
        const text = decodeText(raw);
        if (text === null) {
          throw malformed(`stream labels are not valid UTF-8: ${JSON.stringify(new TextDecoder().decode(raw))}`);
        }
        labels = text;
        break;
      }
      case 2: {
        if (wireType !== WIRE_LEN) wrongWireType(wireType, 'Entries');
        const outer = enter(r);
        entries.push(decodeEntry(r, state, entries.length + 1));
        r.end = outer;
        break;
      }
      case 3:
        if (wireType !== WIRE_VARINT) wrongWireType(wireType, 'Hash');
        r.readVarint();
        break;
      default:
        r.skip(wireType);
    }
  }
  if (state.badUtf8 !== null) throw malformed(`${state.badUtf8} of stream '${labels}' is not valid UTF-8`);
  return { labels, entries };
}

function decodeEntry(r: ProtoReader, state: StreamState, ordinal: number): PushEntry {
  let tsNs = MISSING_TIMESTAMP_NS;
  let line: Uint8Array = EMPTY_LINE;
  let structuredMetadata: Label[] | null = null;
  const start = r.pos;
  /** True while only a timestamp and a line field were seen. */
  let plain = true;
  state.tsBodySize = -1;
  while (r.pos < r.end) {
    const lo = r.readVarint();
    const hi = r.hi;
    const wireType = lo & 7;
    if (wireType === WIRE_END_GROUP) throw malformed('proto: EntryAdapter: wiretype end group for non-group');
    const field = tagFieldNumber(lo, hi);
    if (field <= 0) illegalTag('EntryAdapter', lo, hi);
    switch (field) {
      case 1: {
        if (wireType !== WIRE_LEN) wrongWireType(wireType, 'Timestamp');
        const outer = enter(r);
        tsNs = decodeTimestamp(r, state);
        r.end = outer;
        break;
      }
      case 2:
        if (wireType !== WIRE_LEN) wrongWireType(wireType, 'Line');
        if (state.tsBodySize < 0) plain = false;
        line = r.readBytes();
        if (state.badUtf8 === null && !isUtf8(line)) state.badUtf8 = `the line of entry ${ordinal}`;
        break;
      case 3: {
        if (wireType !== WIRE_LEN) wrongWireType(wireType, 'StructuredMetadata');
        plain = false;
        const outer = enter(r);
        const pair = decodeLabelPair(r, state, ordinal);
        r.end = outer;
        if (structuredMetadata === null) structuredMetadata = [pair];
        else structuredMetadata.push(pair);
        break;
      }
      case 4: {
        if (wireType !== WIRE_LEN) wrongWireType(wireType, 'Parsed');
        plain = false;
        const outer = enter(r);
        decodeLabelPair(r, state, ordinal);
        r.end = outer;
        break;
      }
      default:
        plain = false;
        r.skip(wireType);
    }
  }
  // The fields are exactly the canonical timestamp and line when their size is (a repeated field
  // or a zero written out would add bytes), so a writer may copy them as they are.
  const len = line.length;
  if (plain && len > 0 && state.tsBodySize >= 0 && r.end - start === fieldSize(state.tsBodySize) + fieldSize(len)) {
    return { tsNs, line, structuredMetadata: NO_LABELS, wire: r.buf.subarray(start, r.end) };
  }
  return { tsNs, line, structuredMetadata: structuredMetadata ?? NO_LABELS };
}

const EMPTY_LINE = new Uint8Array(0);

function sameRange(a: Uint8Array, buf: Uint8Array, start: number): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== buf[start + i]) return false;
  return true;
}

/**
 * A label pair. Short encodings seen before in the request give the same frozen pair again, so
 * entries with a repeated pair (detected_level=info) make no strings of their own.
 */
function decodeLabelPair(r: ProtoReader, state: StreamState, ordinal: number): Label {
  const start = r.pos;
  const len = r.end - start;
  if (len > PAIR_MEMO_BYTES) return decodeLabelPairFields(r, state, ordinal);
  for (const m of state.pairs) {
    if (m.body.length === len && sameRange(m.body, r.buf, start)) {
      r.pos = r.end;
      return m.label;
    }
  }
  const label = decodeLabelPairFields(r, state, ordinal);
  if (state.pairWasBad || state.pairs.length >= PAIR_MEMO_MAX) return label;
  const frozen = Object.freeze(label);
  state.pairs.push({ body: r.buf.slice(start, start + len), label: frozen });
  return frozen;
}

function decodeLabelPairFields(r: ProtoReader, state: StreamState, ordinal: number): Label {
  state.pairWasBad = false;
  let name = '';
  let value = '';
  while (r.pos < r.end) {
    const lo = r.readVarint();
    const hi = r.hi;
    const wireType = lo & 7;
    if (wireType === WIRE_END_GROUP) throw malformed('proto: LabelPairAdapter: wiretype end group for non-group');
    const field = tagFieldNumber(lo, hi);
    if (field <= 0) illegalTag('LabelPairAdapter', lo, hi);
    if (field === 1 || field === 2) {
      if (wireType !== WIRE_LEN) wrongWireType(wireType, field === 1 ? 'Name' : 'Value');
      const text = decodeText(r.readBytes());
      if (text === null) {
        state.pairWasBad = true;
        if (state.badUtf8 === null) state.badUtf8 = `structured metadata of entry ${ordinal}`;
      } else if (field === 1) name = text;
      else value = text;
    } else r.skip(wireType);
  }
  return { name, value };
}

/** google.protobuf.Timestamp → tsNs, checked as Loki's `validateTimestamp` does. */
function decodeTimestamp(r: ProtoReader, state: StreamState): bigint {
  let secLo = 0;
  let secHi = 0;
  let nanos = 0;
  while (r.pos < r.end) {
    const lo = r.readVarint();
    const hi = r.hi;
    const wireType = lo & 7;
    if (wireType === WIRE_END_GROUP) throw malformed('proto: Timestamp: wiretype end group for non-group');
    const field = tagFieldNumber(lo, hi);
    if (field <= 0) illegalTag('Timestamp', lo, hi);
    if (field === 1) {
      if (wireType !== WIRE_VARINT) wrongWireType(wireType, 'Seconds');
      secLo = r.readVarint();
      secHi = r.hi;
    } else if (field === 2) {
      if (wireType !== WIRE_VARINT) wrongWireType(wireType, 'Nanos');
      nanos = r.readVarint() | 0;
    } else r.skip(wireType);
  }
  // Exact below 2^53; anything larger is far outside the accepted range and rejected below.
  const seconds = (secHi | 0) * 4294967296 + secLo;
  if (seconds < MIN_TIMESTAMP_SECONDS || seconds >= MAX_TIMESTAMP_SECONDS || nanos < 0 || nanos >= 1e9) {
    throw malformed(timestampRangeMessage(secLo, secHi, nanos));
  }
  state.tsBodySize = (seconds === 0 ? 0 : 1 + int64VarintSize(seconds)) + (nanos === 0 ? 0 : 1 + varintSize(nanos));
  if (seconds !== state.lastSeconds) {
    state.lastSeconds = seconds;
    state.lastSecondsNs = BigInt(seconds) * NS_PER_S;
  }
  return nanos === 0 ? state.lastSecondsNs : state.lastSecondsNs + BigInt(nanos);
}

/** Loki's `validateTimestamp` text (`pkg/push/timestamp.go`, formatTimestamp is `%#v` of the proto). */
function timestampRangeMessage(secLo: number, secHi: number, nanos: number): string {
  const secondsText = BigInt.asIntN(64, (BigInt(secHi) << 32n) | BigInt(secLo)).toString();
  const seconds = Number(secondsText);
  const shown = `&types.Timestamp{Seconds: ${secondsText},\nNanos: ${nanos},\n}`;
  if (seconds < MIN_TIMESTAMP_SECONDS) return `timestamp: ${shown} before 0001-01-01`;
  if (seconds >= MAX_TIMESTAMP_SECONDS) return `timestamp: ${shown} after 10000-01-01`;
  return `timestamp: ${shown}: nanos not in range [0, 1e9)`;
}

// ---- encoding ----

/** Seconds and nanoseconds of a tsNs as Go's `t.Unix()` and `t.Nanosecond()` give them (nanos in [0, 1e9)). */
function splitTimestamp(tsNs: bigint): { seconds: number; nanos: number } {
  // One bigint remainder; the float quotient of the rest is within 1e-6 of an integer for any
  // int64 tsNs, so rounding gives the exact seconds.
  let nanos = Number(tsNs % NS_PER_S);
  if (nanos < 0) nanos += 1e9;
  return { seconds: Math.round((Number(tsNs) - nanos) / 1e9), nanos };
}

/** Bytes of the body of a google.protobuf.Timestamp message for `tsNs`. */
export function timestampBodySize(tsNs: bigint): number {
  const { seconds, nanos } = splitTimestamp(tsNs);
  return (seconds === 0 ? 0 : 1 + int64VarintSize(seconds)) + (nanos === 0 ? 0 : 1 + varintSize(nanos));
}

function labelPairSize(l: Label): number {
  const n = utf8Length(l.name);
  const v = utf8Length(l.value);
  return (n === 0 ? 0 : 1 + varintSize(n) + n) + (v === 0 ? 0 : 1 + varintSize(v) + v);
}

/**
 * Bytes of the body of an `EntryAdapter` as Fjord (and Loki) writes it: the timestamp field is
 * always present (gogo's non-nullable stdtime), the line only when non-empty, then structured
 * metadata.
 */
export function entryBodySize(e: PushEntry): number {
  let size: number;
  if (e.wire !== undefined) size = e.wire.length;
  else {
    const ts = timestampBodySize(e.tsNs);
    size = 1 + varintSize(ts) + ts;
    const len = e.line.length;
    if (len > 0) size += 1 + varintSize(len) + len;
  }
  const sm = e.structuredMetadata;
  for (let i = 0; i < sm.length; i++) {
    const l = sm[i] as Label;
    size += frozenMetadataField(l)?.length ?? fieldSize(labelPairSize(l));
  }
  return size;
}

/** The encoded structured metadata fields (tag, length, pair) of frozen labels, made once each. */
const FROZEN_FIELDS = new WeakMap<Label, Uint8Array>();

/**
 * The encoded structured metadata field of `l` when `l` is frozen (a label shared by many entries,
 * such as a detected_level pair), else undefined.
 */
function frozenMetadataField(l: Label): Uint8Array | undefined {
  if (!Object.isFrozen(l)) return undefined;
  let field = FROZEN_FIELDS.get(l);
  if (field === undefined) {
    const w = new ProtoWriter(fieldSize(labelPairSize(l)));
    writeLabelPair(w, 3, l);
    FROZEN_FIELDS.set(l, (field = w.finish()));
  }
  return field;
}

/** Bytes the labels field of a `StreamAdapter` takes (0 for empty labels). */
export function labelsFieldSize(labels: string): number {
  const n = utf8Length(labels);
  return n === 0 ? 0 : 1 + varintSize(n) + n;
}

/** Bytes a field of `body` bytes takes: tag, length prefix and body (Loki's `1 + l + sov(l)`). */
export function fieldSize(body: number): number {
  return 1 + varintSize(body) + body;
}

/** Bytes of the body of a `StreamAdapter` holding `labels` and entries of `entryBodies` bytes (no hash). */
export function streamBodySize(labels: string, entryBodies: readonly number[]): number {
  let size = labelsFieldSize(labels);
  for (const b of entryBodies) size += fieldSize(b);
  return size;
}

function writeTimestamp(w: ProtoWriter, tsNs: bigint): void {
  const { seconds, nanos } = splitTimestamp(tsNs);
  const body = (seconds === 0 ? 0 : 1 + int64VarintSize(seconds)) + (nanos === 0 ? 0 : 1 + varintSize(nanos));
  w.tag(1, WIRE_LEN);
  w.varint(body);
  if (seconds !== 0) {
    w.tag(1, WIRE_VARINT);
    w.int64(seconds);
  }
  if (nanos !== 0) {
    w.tag(2, WIRE_VARINT);
    w.varint(nanos);
  }
}

function writeLabelPair(w: ProtoWriter, field: number, l: Label): void {
  const n = utf8Length(l.name);
  const v = utf8Length(l.value);
  w.tag(field, WIRE_LEN);
  w.varint((n === 0 ? 0 : 1 + varintSize(n) + n) + (v === 0 ? 0 : 1 + varintSize(v) + v));
  if (n > 0) {
    w.tag(1, WIRE_LEN);
    w.stringWithLength(l.name, n);
  }
  if (v > 0) {
    w.tag(2, WIRE_LEN);
    w.stringWithLength(l.value, v);
  }
}

/**
 * Write one `StreamAdapter` as field 1 of a PushRequest: tag, length, labels, entries.
 * `entryBodies[i]` is `entryBodySize(entries[i])`, computed once by the caller, who sized the buffer with it.
 */
export function writeStream(w: ProtoWriter, labels: string, entries: readonly PushEntry[], entryBodies: readonly number[]): void {
  w.tag(1, WIRE_LEN);
  w.varint(streamBodySize(labels, entryBodies));
  const n = utf8Length(labels);
  if (n > 0) {
    w.tag(1, WIRE_LEN);
    w.stringWithLength(labels, n);
  }
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i] as PushEntry;
    w.tag(2, WIRE_LEN);
    w.varint(entryBodies[i] as number);
    if (e.wire !== undefined) w.raw(e.wire);
    else {
      writeTimestamp(w, e.tsNs);
      if (e.line.length > 0) w.bytesField(2, e.line);
    }
    const sm = e.structuredMetadata;
    for (let k = 0; k < sm.length; k++) {
      const l = sm[k] as Label;
      const field = frozenMetadataField(l);
      if (field) w.raw(field);
      else writeLabelPair(w, 3, l);
    }
  }
}

/** Bytes of a whole PushRequest holding `streams`. */
export function pushRequestSize(streams: readonly PushStream[]): number {
  let size = 0;
  for (const s of streams) size += fieldSize(streamBodySize(s.labels, s.entries.map(entryBodySize)));
  return size;
}

/**
 * Encode a PushRequest as protobuf `logproto.PushRequest` (not snappy-compressed), fields in
 * number order, proto3 defaults omitted except the entry timestamp, which Loki always writes.
 */
export function encodePushProtobuf(req: PushRequest): Uint8Array {
  const bodies = req.streams.map((s) => s.entries.map(entryBodySize));
  let size = 0;
  req.streams.forEach((s, i) => (size += fieldSize(streamBodySize(s.labels, bodies[i] as number[]))));
  const w = new ProtoWriter(size);
  req.streams.forEach((s, i) => writeStream(w, s.labels, s.entries, bodies[i] as number[]));
  return w.finish();
}
