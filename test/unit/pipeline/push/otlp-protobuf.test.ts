import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FjordError } from '../../../../schemas/index.js';
import { decodeOtlpLogsProtobuf, encodeOtlpLogsProtobuf, type OtlpLogsRequest } from '../../../../pipeline/index.js';
import { hex, mutate, toHex } from '../../../helpers/bytes.js';
import { seededRandom } from '../../../helpers/random.js';

function badRequest(message: string) {
  return (err: unknown) => err instanceof FjordError && err.code === 'bad_request' && err.message === message;
}

// ExportLogsServiceRequest{resource_logs: [{scope_logs: [{log_records: [{time_unix_nano (fixed64, field 1),
// severity_number 9 (field 2), body {string_value 'hi'} (field 5), flags 1 (fixed32, field 8),
// trace_id (field 9, 16 bytes), observed_time_unix_nano (fixed64, field 11)}]}]}]}, by hand from
// opentelemetry-proto logs/v1/logs.proto and common/v1/common.proto.
const RECORD = '09 0100000000000000  10 09  2a 04 0a 02 6869  45 01000000  4a 10 000102030405060708090a0b0c0d0e0f  59 0200000000000000';
const HAND_BUILT = `0a 35 12 33 12 31 ${RECORD}`;

test('decodeOtlpLogsProtobuf: hand-built bytes', () => {
  const req = decodeOtlpLogsProtobuf(hex(HAND_BUILT));
  const r = req.resourceLogs[0]?.scopeLogs[0]?.logRecords[0];
  assert.ok(r);
  assert.equal(r.timeUnixNano, 1n);
  assert.equal(r.observedTimeUnixNano, 2n);
  assert.equal(r.severityNumber, 9);
  assert.deepEqual(r.body, { kind: 'string', value: 'hi' });
  assert.equal(r.flags, 1);
  assert.equal(toHex(r.traceId), '000102030405060708090a0b0c0d0e0f');
  assert.equal(r.spanId.length, 0);
});

test('encodeOtlpLogsProtobuf/decodeOtlpLogsProtobuf round trip of every AnyValue kind', () => {
  const req: OtlpLogsRequest = {
    resourceLogs: [{
      resource: { attributes: [{ key: 'service.name', value: { kind: 'string', value: 'svc' } }], droppedAttributesCount: 1 },
      scopeLogs: [{
        scope: { name: 'lib', version: '1', attributes: [], droppedAttributesCount: 0 },
        logRecords: [{
          timeUnixNano: 2n ** 64n - 1n, observedTimeUnixNano: 0n, severityNumber: 24, severityText: 'FATAL', droppedAttributesCount: 0, flags: 0xffffffff,
          traceId: new Uint8Array(16).fill(1), spanId: new Uint8Array(8).fill(2), eventName: 'e',
          body: { kind: 'array', values: [{ kind: 'bool', value: true }, { kind: 'int', value: -5n }, { kind: 'double', value: 1.5 }, { kind: 'bytes', value: new Uint8Array([0, 255]) }, { kind: 'empty' }] },
          attributes: [{ key: 'm', value: { kind: 'kvlist', values: [{ key: 'k', value: { kind: 'string', value: 'v' } }] } }],
        }],
      }],
    }],
  };
  assert.deepEqual(decodeOtlpLogsProtobuf(encodeOtlpLogsProtobuf(req)), req);
});

// pdata's texts (pdata/internal/generated_proto_*.go, proto/unmarshal.go, traceid.go, spanid.go).
const errors = [
  { name: 'resource logs as varint', bytes: '08 01', want: 'proto: wrong wireType = 0 for field ResourceLogs' },
  { name: 'time as varint', bytes: '0a 06 12 04 12 02 08 01', want: 'proto: wrong wireType = 0 for field TimeUnixNano' },
  { name: 'flags as fixed64', bytes: '0a 0d 12 0b 12 09 41 0000000000000000', want: 'proto: wrong wireType = 1 for field Flags' },
  { name: 'trace id of 3 bytes', bytes: '0a 09 12 07 12 05 4a 03 010203', want: 'unmarshal: invalid TraceID length' },
  { name: 'span id of 9 bytes', bytes: '0a 0f 12 0d 12 0b 52 09 010203040506070809', want: 'unmarshal: invalid SpanID length' },
  { name: 'field 0', bytes: '00', want: 'proto: Link: illegal field=0 (tag=0, pos=1)' },
  { name: 'truncated fixed64', bytes: '0a 07 12 05 12 03 09 0102', want: 'unexpected EOF' },
  { name: 'end group of an unknown field', bytes: '14', want: 'proto: unexpected end of group' },
  { name: 'end group for a known field', bytes: '0c', want: 'proto: wrong wireType = 4 for field ResourceLogs' },
  { name: 'body string not UTF-8', bytes: '0a 0a 12 08 12 06 2a 04 0a 02 c328', want: 'OTLP field AnyValue.string_value is not valid UTF-8' },
];
for (const c of errors) {
  test(`decodeOtlpLogsProtobuf rejects: ${c.name}`, () => assert.throws(() => decodeOtlpLogsProtobuf(hex(c.bytes)), badRequest(c.want)));
}

test('decodeOtlpLogsProtobuf: every truncation and random mutation is either decoded or FjordError(bad_request)', () => {
  const body = hex(HAND_BUILT);
  for (let cut = 0; cut < body.length; cut++) {
    try {
      decodeOtlpLogsProtobuf(body.subarray(0, cut));
      assert.equal(cut, 0, `cut at ${cut} decoded`);
    } catch (err) {
      assert.ok(err instanceof FjordError && err.code === 'bad_request', `cut at ${cut}: ${String(err)}`);
    }
  }
  const rand = seededRandom(3);
  for (let i = 0; i < 20_000; i++) {
    const input = mutate(body, rand);
    try {
      decodeOtlpLogsProtobuf(input);
    } catch (err) {
      assert.ok(err instanceof FjordError && err.code === 'bad_request', `mutation ${toHex(input)} threw ${String(err)}`);
    }
  }
});
