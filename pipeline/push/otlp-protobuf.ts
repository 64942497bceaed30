/**
 * OTLP/HTTP logs in protobuf (`ExportLogsServiceRequest`, opentelemetry-proto
 * `collector/logs/v1/logs_service.proto`, `logs/v1/logs.proto`, `common/v1/common.proto`,
 * `resource/v1/resource.proto`) to and from the OtlpLogsRequest model. Pure.
 *
 * Decoding follows the collector's pdata unmarshalling (Loki's OTLP reader): unknown fields
 * skipped, last value wins for scalars and for the AnyValue oneof, trace and span ids of 16 and 8
 * bytes or empty, and pdata's error texts (`proto: wrong wireType = 2 for field TimeUnixNano`,
 * `unmarshal: invalid TraceID length`, `unexpected EOF`). On top of pdata, every string must be
 * UTF-8 (the proto3 rule), as lines and labels are UTF-8 in Fjord.
 */
import { EMPTY_ANY_VALUE, type AnyValue, type KeyValue, type OtlpLogRecord, type OtlpLogsRequest, type OtlpResourceLogs, type OtlpScopeLogs } from './otlp-model.js';
import { ProtoReader, ProtoWriter, WIRE_END_GROUP, WIRE_I32, WIRE_I64, WIRE_LEN, WIRE_VARINT, malformed, tagFieldNumber, tagText } from '../../schemas/wire/index.js';

const UTF8 = new TextDecoder('utf-8', { fatal: true });
const EMPTY_BYTES: Uint8Array = new Uint8Array(0);

/** The next tag of the message that began at `base`, as field * 8 + wire type (pdata's checks). */
function nextTag(r: ProtoReader, base: number): number {
  const lo = r.readVarint();
  const hi = r.hi;
  const field = tagFieldNumber(lo, hi);
  if (field <= 0) throw malformed(`proto: Link: illegal field=${field} (tag=${tagText(lo, hi)}, pos=${r.pos - base})`);
  return field * 8 + (lo & 7);
}

function fieldOf(tag: number): number {
  return Math.floor(tag / 8);
}

function expectWire(tag: number, wireType: number, field: string): void {
  if (tag % 8 !== wireType) throw malformed(`proto: wrong wireType = ${tag % 8} for field ${field}`);
}

function skip(r: ProtoReader, tag: number): void {
  const wireType = tag % 8;
  if (wireType === WIRE_END_GROUP) throw malformed('proto: unexpected end of group');
  r.skip(wireType);
}

function readString(r: ProtoReader, field: string): string {
  try {
    return UTF8.decode(r.readBytes());
  } catch (err) {
    if (err instanceof TypeError) throw malformed(`OTLP field ${field} is not valid UTF-8`);
    throw err;
  }
}

/** Run `body` over the length-delimited message that starts at the reader's position. */
function nested<T>(r: ProtoReader, body: (base: number) => T): T {
  const len = r.readLength();
  const outer = r.end;
  r.end = r.pos + len;
  const value = body(r.pos);
  r.end = outer;
  return value;
}

function decodeAnyValue(r: ProtoReader, base: number): AnyValue {
  let value: AnyValue = EMPTY_ANY_VALUE;
  while (r.pos < r.end) {
    const tag = nextTag(r, base);
    switch (fieldOf(tag)) {
      case 1:
        expectWire(tag, WIRE_LEN, 'StringValue');
        value = { kind: 'string', value: readString(r, 'AnyValue.string_value') };
        break;
      case 2:
        expectWire(tag, WIRE_VARINT, 'BoolValue');
        value = { kind: 'bool', value: r.readVarint() !== 0 || r.hi !== 0 };
        break;
      case 3:
        expectWire(tag, WIRE_VARINT, 'IntValue');
        value = { kind: 'int', value: r.readVarintBigInt() };
        break;
      case 4:
        expectWire(tag, WIRE_I64, 'DoubleValue');
        value = { kind: 'double', value: r.readDouble() };
        break;
      case 5:
        expectWire(tag, WIRE_LEN, 'ArrayValue');
        value = { kind: 'array', values: nested(r, (b) => decodeValues(r, b)) };
        break;
      case 6:
        expectWire(tag, WIRE_LEN, 'KvlistValue');
        value = { kind: 'kvlist', values: nested(r, (b) => decodeKeyValues(r, b)) };
        break;
      case 7:
        expectWire(tag, WIRE_LEN, 'BytesValue');
        value = { kind: 'bytes', value: r.readBytes() };
        break;
      default:
        skip(r, tag);
    }
  }
  return value;
}

/** ArrayValue: repeated AnyValue values = 1. */
function decodeValues(r: ProtoReader, base: number): AnyValue[] {
  const values: AnyValue[] = [];
  while (r.pos < r.end) {
    const tag = nextTag(r, base);
    if (fieldOf(tag) === 1) {
      expectWire(tag, WIRE_LEN, 'Values');
      values.push(nested(r, (b) => decodeAnyValue(r, b)));
    } else skip(r, tag);
  }
  return values;
}

/** KeyValueList: repeated KeyValue values = 1. */
function decodeKeyValues(r: ProtoReader, base: number): KeyValue[] {
  const values: KeyValue[] = [];
  while (r.pos < r.end) {
    const tag = nextTag(r, base);
    if (fieldOf(tag) === 1) {
      expectWire(tag, WIRE_LEN, 'Values');
      values.push(nested(r, (b) => decodeKeyValue(r, b)));
    } else skip(r, tag);
  }
  return values;
}

function decodeKeyValue(r: ProtoReader, base: number): KeyValue {
  let key = '';
  let value: AnyValue = EMPTY_ANY_VALUE;
  while (r.pos < r.end) {
    const tag = nextTag(r, base);
    if (fieldOf(tag) === 1) {
      expectWire(tag, WIRE_LEN, 'Key');
      key = readString(r, 'KeyValue.key');
    } else if (fieldOf(tag) === 2) {
      expectWire(tag, WIRE_LEN, 'Value');
      value = nested(r, (b) => decodeAnyValue(r, b));
    } else skip(r, tag);
  }
  return { key, value };
}

function readId(r: ProtoReader, size: number, name: string): Uint8Array {
  const bytes = r.readBytes();
  if (bytes.length === 0) return EMPTY_BYTES;
  if (bytes.length !== size) throw malformed(`unmarshal: invalid ${name} length`);
  return bytes;
}

function decodeLogRecord(r: ProtoReader, base: number): OtlpLogRecord {
  let timeUnixNano = 0n;
  let observedTimeUnixNano = 0n;
  let severityNumber = 0;
  let severityText = '';
  let body: AnyValue = EMPTY_ANY_VALUE;
  const attributes: KeyValue[] = [];
  let droppedAttributesCount = 0;
  let flags = 0;
  let traceId = EMPTY_BYTES;
  let spanId = EMPTY_BYTES;
  let eventName = '';
  while (r.pos < r.end) {
    const tag = nextTag(r, base);
    switch (fieldOf(tag)) {
      case 1:
        expectWire(tag, WIRE_I64, 'TimeUnixNano');
        timeUnixNano = r.readFixed64();
        break;
      case 11:
        expectWire(tag, WIRE_I64, 'ObservedTimeUnixNano');
        observedTimeUnixNano = r.readFixed64();
        break;
      case 2:
        expectWire(tag, WIRE_VARINT, 'SeverityNumber');
        severityNumber = r.readVarintInt32();
        break;
      case 3:
        expectWire(tag, WIRE_LEN, 'SeverityText');
        severityText = readString(r, 'LogRecord.severity_text');
        break;
      case 5:
        expectWire(tag, WIRE_LEN, 'Body');
        body = nested(r, (b) => decodeAnyValue(r, b));
        break;
      case 6:
        expectWire(tag, WIRE_LEN, 'Attributes');
        attributes.push(nested(r, (b) => decodeKeyValue(r, b)));
        break;
      case 7:
        expectWire(tag, WIRE_VARINT, 'DroppedAttributesCount');
        droppedAttributesCount = r.readVarintUint32();
        break;
      case 8:
        expectWire(tag, WIRE_I32, 'Flags');
        flags = r.readFixed32();
        break;
      case 9:
        expectWire(tag, WIRE_LEN, 'TraceId');
        traceId = readId(r, 16, 'TraceID');
        break;
      case 10:
        expectWire(tag, WIRE_LEN, 'SpanId');
        spanId = readId(r, 8, 'SpanID');
        break;
      case 12:
        expectWire(tag, WIRE_LEN, 'EventName');
        eventName = readString(r, 'LogRecord.event_name');
        break;
      default:
        skip(r, tag);
    }
  }
  return { timeUnixNano, observedTimeUnixNano, severityNumber, severityText, body, attributes, droppedAttributesCount, flags, traceId, spanId, eventName };
}

function decodeScopeLogs(r: ProtoReader, base: number): OtlpScopeLogs {
  let scope: OtlpScopeLogs['scope'] = { name: '', version: '', attributes: [], droppedAttributesCount: 0 };
  const logRecords: OtlpLogRecord[] = [];
  while (r.pos < r.end) {
    const tag = nextTag(r, base);
    if (fieldOf(tag) === 1) {
      expectWire(tag, WIRE_LEN, 'Scope');
      scope = nested(r, (b) => decodeScope(r, b));
    } else if (fieldOf(tag) === 2) {
      expectWire(tag, WIRE_LEN, 'LogRecords');
      logRecords.push(nested(r, (b) => decodeLogRecord(r, b)));
    } else if (fieldOf(tag) === 3) {
      expectWire(tag, WIRE_LEN, 'SchemaUrl');
      readString(r, 'ScopeLogs.schema_url');
    } else skip(r, tag);
  }
  return { scope, logRecords };
}

function decodeScope(r: ProtoReader, base: number): OtlpScopeLogs['scope'] {
  let name = '';
  let version = '';
  const attributes: KeyValue[] = [];
  let droppedAttributesCount = 0;
  while (r.pos < r.end) {
    const tag = nextTag(r, base);
    switch (fieldOf(tag)) {
      case 1:
        expectWire(tag, WIRE_LEN, 'Name');
        name = readString(r, 'InstrumentationScope.name');
        break;
      case 2:
        expectWire(tag, WIRE_LEN, 'Version');
        version = readString(r, 'InstrumentationScope.version');
        break;
      case 3:
        expectWire(tag, WIRE_LEN, 'Attributes');
        attributes.push(nested(r, (b) => decodeKeyValue(r, b)));
        break;
      case 4:
        expectWire(tag, WIRE_VARINT, 'DroppedAttributesCount');
        droppedAttributesCount = r.readVarintUint32();
        break;
      default:
        skip(r, tag);
    }
  }
  return { name, version, attributes, droppedAttributesCount };
}

function decodeResource(r: ProtoReader, base: number): OtlpResourceLogs['resource'] {
  const attributes: KeyValue[] = [];
  let droppedAttributesCount = 0;
  while (r.pos < r.end) {
    const tag = nextTag(r, base);
    if (fieldOf(tag) === 1) {
      expectWire(tag, WIRE_LEN, 'Attributes');
      attributes.push(nested(r, (b) => decodeKeyValue(r, b)));
    } else if (fieldOf(tag) === 2) {
      expectWire(tag, WIRE_VARINT, 'DroppedAttributesCount');
      droppedAttributesCount = r.readVarintUint32();
    } else skip(r, tag);
  }
  return { attributes, droppedAttributesCount };
}

function decodeResourceLogs(r: ProtoReader, base: number): OtlpResourceLogs {
  let resource: OtlpResourceLogs['resource'] = { attributes: [], droppedAttributesCount: 0 };
  const scopeLogs: OtlpScopeLogs[] = [];
  while (r.pos < r.end) {
    const tag = nextTag(r, base);
    if (fieldOf(tag) === 1) {
      expectWire(tag, WIRE_LEN, 'Resource');
      resource = nested(r, (b) => decodeResource(r, b));
    } else if (fieldOf(tag) === 2) {
      expectWire(tag, WIRE_LEN, 'ScopeLogs');
      scopeLogs.push(nested(r, (b) => decodeScopeLogs(r, b)));
    } else if (fieldOf(tag) === 3) {
      expectWire(tag, WIRE_LEN, 'SchemaUrl');
      readString(r, 'ResourceLogs.schema_url');
    } else skip(r, tag);
  }
  return { resource, scopeLogs };
}

/**
 * Decode an OTLP `ExportLogsServiceRequest` from protobuf bytes (already decompressed).
 * Throws FjordError('bad_request') with pdata's message for malformed protobuf.
 */
export function decodeOtlpLogsProtobuf(bytes: Uint8Array): OtlpLogsRequest {
  const r = new ProtoReader(bytes);
  const resourceLogs: OtlpResourceLogs[] = [];
  while (r.pos < r.end) {
    const tag = nextTag(r, 0);
    if (fieldOf(tag) === 1) {
      expectWire(tag, WIRE_LEN, 'ResourceLogs');
      resourceLogs.push(nested(r, (b) => decodeResourceLogs(r, b)));
    } else skip(r, tag);
  }
  return { resourceLogs };
}

// ---- encoding (fixtures, tests, tools) ----

function sub(w: ProtoWriter, field: number, write: (inner: ProtoWriter) => void): void {
  const inner = new ProtoWriter(64);
  write(inner);
  w.bytesField(field, inner.finish());
}

function writeAnyValue(w: ProtoWriter, v: AnyValue): void {
  switch (v.kind) {
    case 'empty':
      return;
    case 'string':
      w.stringField(1, v.value);
      return;
    case 'bool':
      w.tag(2, WIRE_VARINT);
      w.varint(v.value ? 1 : 0);
      return;
    case 'int':
      w.tag(3, WIRE_VARINT);
      w.bigVarint(BigInt.asUintN(64, v.value));
      return;
    case 'double':
      w.tag(4, WIRE_I64);
      w.double(v.value);
      return;
    case 'array':
      sub(w, 5, (a) => v.values.forEach((x) => sub(a, 1, (e) => writeAnyValue(e, x))));
      return;
    case 'kvlist':
      sub(w, 6, (l) => v.values.forEach((kv) => sub(l, 1, (e) => writeKeyValue(e, kv))));
      return;
    case 'bytes':
      w.bytesField(7, v.value);
      return;
  }
}

function writeKeyValue(w: ProtoWriter, kv: KeyValue): void {
  if (kv.key !== '') w.stringField(1, kv.key);
  sub(w, 2, (v) => writeAnyValue(v, kv.value));
}

function writeLogRecord(w: ProtoWriter, l: OtlpLogRecord): void {
  if (l.timeUnixNano !== 0n) {
    w.tag(1, WIRE_I64);
    w.fixed64(l.timeUnixNano);
  }
  if (l.severityNumber !== 0) {
    w.tag(2, WIRE_VARINT);
    w.varint(l.severityNumber);
  }
  if (l.severityText !== '') w.stringField(3, l.severityText);
  if (l.body.kind !== 'empty') sub(w, 5, (b) => writeAnyValue(b, l.body));
  for (const kv of l.attributes) sub(w, 6, (a) => writeKeyValue(a, kv));
  if (l.droppedAttributesCount !== 0) {
    w.tag(7, WIRE_VARINT);
    w.varint(l.droppedAttributesCount);
  }
  if (l.flags !== 0) {
    w.tag(8, WIRE_I32);
    w.fixed32(l.flags);
  }
  if (l.traceId.length > 0) w.bytesField(9, l.traceId);
  if (l.spanId.length > 0) w.bytesField(10, l.spanId);
  if (l.observedTimeUnixNano !== 0n) {
    w.tag(11, WIRE_I64);
    w.fixed64(l.observedTimeUnixNano);
  }
  if (l.eventName !== '') w.stringField(12, l.eventName);
}

/** Encode an OtlpLogsRequest as protobuf `ExportLogsServiceRequest` (proto3 defaults omitted). */
export function encodeOtlpLogsProtobuf(req: OtlpLogsRequest): Uint8Array {
  const w = new ProtoWriter(1024);
  for (const rl of req.resourceLogs) {
    sub(w, 1, (rw) => {
      sub(rw, 1, (res) => {
        for (const kv of rl.resource.attributes) sub(res, 1, (a) => writeKeyValue(a, kv));
        if (rl.resource.droppedAttributesCount !== 0) {
          res.tag(2, WIRE_VARINT);
          res.varint(rl.resource.droppedAttributesCount);
        }
      });
      for (const sl of rl.scopeLogs) {
        sub(rw, 2, (sw) => {
          sub(sw, 1, (sc) => {
            if (sl.scope.name !== '') sc.stringField(1, sl.scope.name);
            if (sl.scope.version !== '') sc.stringField(2, sl.scope.version);
            for (const kv of sl.scope.attributes) sub(sc, 3, (a) => writeKeyValue(a, kv));
            if (sl.scope.droppedAttributesCount !== 0) {
              sc.tag(4, WIRE_VARINT);
              sc.varint(sl.scope.droppedAttributesCount);
            }
          });
          for (const l of sl.logRecords) sub(sw, 2, (lw) => writeLogRecord(lw, l));
        });
      }
    });
  }
  return w.finish();
}
