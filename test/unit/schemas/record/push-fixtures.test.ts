/**
 * The committed push fixtures (test/fixtures/push/README.md): the protobuf bodies are what the
 * encoders write for the JSON ones, and their bytes match the proto definitions when read by a
 * minimal reader written here, independent of schemas/protobuf-wire.ts.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import {
  decodeOtlpLogsJson, decodeOtlpLogsProtobuf, defaultOtlpConversion, encodeOtlpLogsProtobuf, otlpToPushRequest,
} from '../../../../pipeline/index.js';
import { decodePushJson, decodePushProtobuf, encodePushProtobuf } from '../../../../schemas/record/index.js';
import { fixturePath, text, toHex } from '../../../helpers/bytes.js';

const read = (name: string) => new Uint8Array(readFileSync(fixturePath(`push/${name}`)));

/** A protobuf message as (field, wire type, value) triples: varints as bigint, LEN as bytes. */
type Field = { field: number; wire: number; value: bigint | Uint8Array };

function fields(b: Uint8Array): Field[] {
  const out: Field[] = [];
  let i = 0;
  const varint = (): bigint => {
    let v = 0n;
    for (let shift = 0n; ; shift += 7n) {
      const byte = b[i++];
      if (byte === undefined) throw new Error('truncated');
      v |= BigInt(byte & 0x7f) << shift;
      if (byte < 0x80) return v;
    }
  };
  while (i < b.length) {
    const tag = varint();
    const field = Number(tag >> 3n);
    const wire = Number(tag & 7n);
    if (wire === 0) out.push({ field, wire, value: varint() });
    else if (wire === 2) {
      const len = Number(varint());
      out.push({ field, wire, value: b.subarray(i, i + len) });
      i += len;
    } else if (wire === 1 || wire === 5) {
      const n = wire === 1 ? 8 : 4;
      let v = 0n;
      for (let k = n - 1; k >= 0; k--) v = (v << 8n) | BigInt(b[i + k] as number);
      out.push({ field, wire, value: v });
      i += n;
    } else throw new Error(`wire type ${wire}`);
  }
  return out;
}

const bytesOf = (f: Field | undefined) => f?.value as Uint8Array;
const only = (fs: Field[], field: number) => fs.filter((f) => f.field === field);

test('loki-push.pb is the protobuf of loki-push.json', () => {
  const fromJson = encodePushProtobuf(decodePushJson(read('loki-push.json')));
  assert.equal(toHex(fromJson), toHex(read('loki-push.pb')));
});

test('loki-push.pb read field by field against push.proto', () => {
  const streams = only(fields(read('loki-push.pb')), 1).map((f) => fields(bytesOf(f)));
  assert.equal(streams.length, 2);
  const [first] = streams;
  assert.ok(first);
  assert.equal(text(bytesOf(only(first, 1)[0])), '{filename="/var/log/app.log", host="web-1", job="varlogs"}');
  const entries = only(first, 2).map((f) => fields(bytesOf(f)));
  assert.equal(entries.length, 3);
  const second = entries[1];
  assert.ok(second);
  const ts = fields(bytesOf(only(second, 1)[0]));
  assert.deepEqual(ts.map((f) => [f.field, f.wire, f.value]), [[1, 0, 1570818238n], [2, 0, 1n]]);
  assert.equal(text(bytesOf(only(second, 2)[0])), 'level=info msg="request done" path=/api/v1/orders status=200');
  const metadata = only(second, 3).map((f) => fields(bytesOf(f)).map((p) => text(p.value as Uint8Array)));
  assert.deepEqual(metadata, [['trace_id', '0242ac120002'], ['user_id', 'superUser123']]);
  assert.equal(text(bytesOf(only(entries[2] ?? [], 2)[0])), 'multi\nline éè 😀');
});

test('loki-push.pb decodes to the same request as loki-push.json', () => {
  const plain = (r: ReturnType<typeof decodePushJson>) =>
    r.streams.map((s) => [s.labels, s.entries.map((e) => [e.tsNs, text(e.line), e.structuredMetadata])]);
  assert.deepEqual(plain(decodePushProtobuf(read('loki-push.pb'))), plain(decodePushJson(read('loki-push.json'))));
});

test('otlp-logs.pb is the protobuf of otlp-logs.json and decodes to the same request', () => {
  const fromJson = decodeOtlpLogsJson(read('otlp-logs.json'));
  assert.equal(toHex(encodeOtlpLogsProtobuf(fromJson)), toHex(read('otlp-logs.pb')));
  assert.deepEqual(decodeOtlpLogsProtobuf(read('otlp-logs.pb')), fromJson);
});

test('otlp-logs.pb read field by field against the OTLP protos', () => {
  const resourceLogs = fields(bytesOf(only(fields(read('otlp-logs.pb')), 1)[0]));
  const resource = fields(bytesOf(only(resourceLogs, 1)[0]));
  const attr = fields(bytesOf(only(resource, 1)[0]));
  assert.equal(text(bytesOf(only(attr, 1)[0])), 'service.name');
  const scopeLogs = fields(bytesOf(only(resourceLogs, 2)[0]));
  const record = fields(bytesOf(only(scopeLogs, 2)[0]));
  assert.deepEqual(only(record, 1).map((f) => [f.wire, f.value]), [[1, 1544712660300000000n]]);
  assert.deepEqual(only(record, 11).map((f) => [f.wire, f.value]), [[1, 1544712660300000000n]]);
  assert.deepEqual(only(record, 2).map((f) => f.value), [10n]);
  assert.equal(toHex(bytesOf(only(record, 9)[0])), '5b8efff798038103d269b633813fc60c');
  assert.equal(toHex(bytesOf(only(record, 10)[0])), 'eee19b7ec3c1b174');
  assert.equal(only(record, 6).length, 6);
});

test('the OTLP spec example becomes one Loki stream with Loki\'s structured metadata', () => {
  const req = otlpToPushRequest(decodeOtlpLogsJson(read('otlp-logs.json')), defaultOtlpConversion(0n));
  assert.deepEqual(req.streams.map((s) => ({ labels: s.labels, entries: s.entries.map((e) => [e.tsNs, text(e.line), e.structuredMetadata.map((l) => `${l.name}=${l.value}`)]) })), [{
    labels: '{service_name="my.service"}',
    entries: [[1544712660300000000n, 'Example log record', [
      'string_attribute=some string', 'boolean_attribute=true', 'int_attribute=10', 'double_attribute=637.704',
      'array_attribute=["many","values"]', 'map_attribute_some_map_key=some value', 'observed_timestamp=1544712660300000000',
      'severity_number=10', 'severity_text=Information', 'trace_id=5b8efff798038103d269b633813fc60c', 'span_id=eee19b7ec3c1b174',
      'my_scope_attribute=some scope attribute', 'scope_name=my.library', 'scope_version=1.0.0',
    ]]],
  }]);
});
