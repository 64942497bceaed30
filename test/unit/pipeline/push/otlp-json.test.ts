import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FjordError } from '../../../../schemas/index.js';
import { decodeOtlpLogsJson } from '../../../../pipeline/index.js';
import { toHex } from '../../../helpers/bytes.js';

function record(body: string) {
  return `{"resourceLogs":[{"scopeLogs":[{"logRecords":[${body}]}]}]}`;
}

test('decodeOtlpLogsJson: camelCase and snake_case names, int64 as string or number (exact), enum names, hex ids', () => {
  const req = decodeOtlpLogsJson(record(`
    {"timeUnixNano": 1544712660300000001, "observed_time_unix_nano": "1544712660300000002", "severityNumber": "SEVERITY_NUMBER_WARN",
     "severity_text": "Warn", "traceId": "5B8EFFF798038103D269B633813FC60C", "span_id": "eee19b7ec3c1b174", "flags": "1",
     "body": {"kvlistValue": {"values": [{"key": "k", "value": {"int_value": 9007199254740993}}]}}, "unknownField": [1, {"x": 2}],
     "attributes": [{"key": "b", "value": {"bytesValue": "aGkh"}}], "droppedAttributesCount": 3, "eventName": "ev"}`));
  const r = req.resourceLogs[0]?.scopeLogs[0]?.logRecords[0];
  assert.ok(r);
  assert.equal(r.timeUnixNano, 1544712660300000001n);
  assert.equal(r.observedTimeUnixNano, 1544712660300000002n);
  assert.equal(r.severityNumber, 13);
  assert.equal(r.severityText, 'Warn');
  assert.equal(toHex(r.traceId), '5b8efff798038103d269b633813fc60c');
  assert.equal(toHex(r.spanId), 'eee19b7ec3c1b174');
  assert.equal(r.flags, 1);
  assert.equal(r.droppedAttributesCount, 3);
  assert.equal(r.eventName, 'ev');
  assert.deepEqual(r.body, { kind: 'kvlist', values: [{ key: 'k', value: { kind: 'int', value: 9007199254740993n } }] });
  assert.equal(r.attributes[0]?.value.kind, 'bytes');
});

test('decodeOtlpLogsJson: empty and null parts', () => {
  assert.deepEqual(decodeOtlpLogsJson('{}'), { resourceLogs: [] });
  assert.deepEqual(decodeOtlpLogsJson('{"resourceLogs":null}'), { resourceLogs: [] });
  const req = decodeOtlpLogsJson(record('{"traceId":"", "body": null}'));
  assert.equal(req.resourceLogs[0]?.scopeLogs[0]?.logRecords[0]?.traceId.length, 0);
});

const errors = [
  { name: 'not JSON', body: '{"resourceLogs":[', want: 'invalid JSON at offset 17: unexpected end of input' },
  { name: 'trailing content', body: '{} x', want: 'invalid JSON at offset 3: unexpected content after the JSON value' },
  { name: 'resourceLogs not an array', body: '{"resourceLogs":{}}', want: 'OTLP JSON: resourceLogs: expected an array, got object' },
  { name: 'timestamp not an integer', body: record('{"timeUnixNano":"12.5"}'), want: 'OTLP JSON: resourceLogs[0].scopeLogs[0].logRecords[0].timeUnixNano: invalid integer "12.5"' },
  { name: 'negative timestamp', body: record('{"timeUnixNano":"-1"}'), want: 'OTLP JSON: resourceLogs[0].scopeLogs[0].logRecords[0].timeUnixNano: integer -1 out of range' },
  { name: 'trace id of the wrong length', body: record('{"traceId":"abcd"}'), want: 'OTLP JSON: resourceLogs[0].scopeLogs[0].logRecords[0].traceId: expected 32 hex digits, got 4' },
  { name: 'span id not hex', body: record('{"spanId":"zzzzzzzzzzzzzzzz"}'), want: 'OTLP JSON: resourceLogs[0].scopeLogs[0].logRecords[0].spanId: invalid hex' },
  { name: 'unknown severity name', body: record('{"severityNumber":"SEVERITY_NUMBER_LOUD"}'), want: 'OTLP JSON: resourceLogs[0].scopeLogs[0].logRecords[0].severityNumber: unknown enum value "SEVERITY_NUMBER_LOUD"' },
  { name: 'string value a number', body: record('{"body":{"stringValue":5}}'), want: 'OTLP JSON: resourceLogs[0].scopeLogs[0].logRecords[0].body.stringValue: expected a string, got number' },
  { name: 'not UTF-8', body: Uint8Array.from([0x7b, 0xff, 0x7d]), want: 'invalid JSON: the body is not valid UTF-8' },
];
for (const c of errors) {
  test(`decodeOtlpLogsJson rejects: ${c.name}`, () => {
    assert.throws(() => decodeOtlpLogsJson(c.body), (err) => err instanceof FjordError && err.code === 'bad_request' && err.message === c.want);
  });
}
