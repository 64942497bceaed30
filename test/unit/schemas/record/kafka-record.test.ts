import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FjordError } from '../../../../schemas/index.js';
import {
  decodePushProtobuf, decodeRecord, encodePushJson, encodeRecordValue, pushRequestSize, recordKeyAndHeaders,
  splitIntoRecords, type PushEntry, type PushStream,
} from '../../../../schemas/record/index.js';
import { text, utf8 } from '../../../helpers/bytes.js';
import { seededRandom } from '../../../helpers/random.js';

function entry(ts: number, line: string): PushEntry {
  return { tsNs: BigInt(ts), line: utf8(line), structuredMetadata: [] };
}

const STREAMS: PushStream[] = [
  { labels: '{app="a"}', entries: [entry(1, 'one'), entry(2, 'two')] },
  { labels: '{app="b"}', entries: [entry(3, 'three')] },
];

test('decodeRecord reads back what encodeRecordValue and recordKeyAndHeaders wrote', () => {
  const { key, headers } = recordKeyAndHeaders('tenant-1');
  const got = decodeRecord({ key, value: encodeRecordValue(STREAMS), headers });
  assert.equal(got.tenant, 'tenant-1');
  assert.deepEqual(got.request.streams.map((s) => [s.labels, s.entries.map((e) => text(e.line))]), [['{app="a"}', ['one', 'two']], ['{app="b"}', ['three']]]);
  assert.equal(text(headers['content-type'] ?? new Uint8Array()), 'application/x-protobuf');
});

const records = [
  { name: 'tenant from the key alone, protobuf by default', key: 'k', headers: {}, value: encodeRecordValue(STREAMS), tenant: 'k' },
  { name: 'tenant from the header alone', key: null, headers: { tenant: 'h' }, value: encodeRecordValue(STREAMS), tenant: 'h' },
  { name: 'JSON value', key: 't', headers: { tenant: 't', 'content-type': 'application/json' }, value: utf8(encodePushJson({ streams: STREAMS })), tenant: 't' },
];
for (const c of records) {
  test(`decodeRecord: ${c.name}`, () => {
    const headers = Object.fromEntries(Object.entries(c.headers).map(([k, v]) => [k, utf8(v)]));
    const got = decodeRecord({ key: c.key === null ? null : utf8(c.key), value: c.value, headers });
    assert.equal(got.tenant, c.tenant);
    assert.equal(got.request.streams.length, 2);
  });
}

const bad = [
  { name: 'no tenant', key: null, headers: {}, value: encodeRecordValue(STREAMS), want: 'malformed record: no tenant (neither a tenant header nor a key)' },
  { name: 'key and header differ', key: 'a', headers: { tenant: 'b' }, value: encodeRecordValue(STREAMS), want: "malformed record: key tenant 'a' differs from tenant header 'b'" },
  { name: 'invalid tenant id', key: 'a/b', headers: {}, value: encodeRecordValue(STREAMS), want: "malformed record: tenant ID 'a/b' contains unsupported character '/'" },
  { name: 'bad protobuf', key: 't', headers: {}, value: Uint8Array.from([0x0a, 0x05]), want: "malformed record of tenant 't': unexpected EOF" },
  { name: 'bad JSON', key: 't', headers: { 'content-type': 'application/json' }, value: utf8('{"streams":{}}'), want: "malformed record of tenant 't': loghttp.PushRequest.Streams: []loghttp.LogProtoStream: decode slice: expect [ or n, but found {, error found in #10 byte of ...|streams\":{}}|..., bigger context ...|{\"streams\":{}}|..." },
  { name: 'unknown content type', key: 't', headers: { 'content-type': 'text/plain' }, value: utf8('x'), want: "malformed record of tenant 't': unsupported content-type 'text/plain'" },
];
for (const c of bad) {
  test(`decodeRecord rejects: ${c.name}`, () => {
    const headers = Object.fromEntries(Object.entries(c.headers).map(([k, v]) => [k, utf8(v)]));
    assert.throws(() => decodeRecord({ key: c.key === null ? null : utf8(c.key), value: c.value, headers }), (err) => err instanceof FjordError && err.code === 'bad_request' && err.message === c.want);
  });
}

/** The streams of a list of record values, parts merged back per label text in order. */
function merged(values: Uint8Array[]): Array<[string, string[]]> {
  const out: Array<[string, string[]]> = [];
  for (const v of values) {
    for (const s of decodePushProtobuf(v).streams) {
      const last = out[out.length - 1];
      const lines = s.entries.map((e) => text(e.line));
      if (last !== undefined && last[0] === s.labels) last[1].push(...lines);
      else out.push([s.labels, lines]);
    }
  }
  return out;
}

const splits = [
  { name: 'everything fits one record', streams: STREAMS, max: 1000, records: 1 },
  { name: 'exactly the request size fits', streams: STREAMS, max: pushRequestSize(STREAMS), records: 1 },
  { name: 'one byte less moves the second stream to its own record', streams: STREAMS, max: pushRequestSize(STREAMS) - 1, records: 2 },
  // Each entry field is 58 bytes (tag, length, timestamp 4, line 52), labels 13: 8 entries per 500-byte record.
  { name: 'a big stream is split into parts that repeat its labels', streams: [{ labels: '{app="big"}', entries: Array.from({ length: 100 }, (_, i) => entry(i, `line ${i} `.padEnd(50, 'x'))) }], max: 500, records: 13 },
  { name: 'no streams, no records', streams: [], max: 100, records: 0 },
];
for (const c of splits) {
  test(`splitIntoRecords: ${c.name}`, () => {
    const values = splitIntoRecords(c.streams, c.max);
    assert.equal(values.length, c.records);
    for (const v of values) assert.ok(v.length <= c.max, `record of ${v.length} bytes > ${c.max}`);
    assert.deepEqual(merged(values), c.streams.map((s) => [s.labels, s.entries.map((e) => text(e.line))]));
  });
}

test("splitIntoRecords: an entry that cannot fit is Loki's error", () => {
  const streams = [{ labels: '{a="b"}', entries: [entry(1, 'x'.repeat(200))] }];
  // The entry field is 1 (tag) + 2 (length) + 207 (timestamp field 4 + line field 203) bytes.
  assert.throws(() => splitIntoRecords(streams, 150), (err) => err instanceof FjordError && err.code === 'log_record_too_large' && err.message === 'single entry size (210) exceeds maximum allowed size (150)');
});

test('splitIntoRecords: random streams and limits keep order, labels and the size bound', () => {
  const rand = seededRandom(11);
  for (let round = 0; round < 200; round++) {
    const streams: PushStream[] = Array.from({ length: 1 + Math.floor(rand() * 6) }, (_, s) => ({
      labels: `{s="${s}"}`,
      entries: Array.from({ length: Math.floor(rand() * 40) }, () => ({
        tsNs: BigInt(Math.floor(rand() * 2 ** 40)) * 1000n, line: utf8('y'.repeat(Math.floor(rand() * 300))),
        structuredMetadata: rand() < 0.3 ? [{ name: 'k', value: 'v'.repeat(Math.floor(rand() * 20)) }] : [],
      })),
    }));
    const max = 400 + Math.floor(rand() * 3000);
    const values = splitIntoRecords(streams, max);
    for (const v of values) assert.ok(v.length <= max);
    assert.deepEqual(merged(values), streams.map((s) => [s.labels, s.entries.map((e) => text(e.line))]));
  }
});

test('the worked example of schemas/README.md is what the encoder writes', () => {
  const value = encodeRecordValue([{ labels: '{app="web"}', entries: [{ tsNs: 1714564800123456789n, line: utf8('hello'), structuredMetadata: [{ name: 'trace_id', value: 'abc' }] }] }]);
  assert.equal(
    Buffer.from(value).toString('hex'),
    '0a340a0b7b6170703d22776562227d12250a0b08c0ddc8b106' + '10959aef3a120568656c6c6f1a0f0a0874726163655f69641203616263',
  );
});

test('decodeRecord of a value splitIntoRecords made gives what decoding a copy of its bytes gives', () => {
  const { key, headers } = recordKeyAndHeaders('t');
  const streams: PushStream[] = [
    { labels: '{app="a"}', entries: [entry(5, 'one'), { tsNs: 6n, line: utf8('two'), structuredMetadata: [{ name: 'trace_id', value: 'abc' }] }, entry(7, '')] },
    { labels: '{app="b"}', entries: Array.from({ length: 30 }, (_, i) => entry(1_700_000_000_000_000_000 + i, `line ${i} ${'z'.repeat(20)}`)) },
  ];
  const values = splitIntoRecords(streams, 400);
  assert.ok(values.length > 1, 'the second stream is split across records');
  const shape = (rec: { key: Uint8Array; value: Uint8Array; headers: Record<string, Uint8Array> }) => {
    const d = decodeRecord(rec);
    return [d.tenant, d.request.streams.map((s) => [s.labels, s.entries.map((e) => [e.tsNs, text(e.line), e.structuredMetadata.map((l) => ({ ...l }))])])];
  };
  for (const value of values) assert.deepEqual(shape({ key, value, headers }), shape({ key, value: Uint8Array.from(value), headers }));
});

test('decodeRecord takes the entries a value was made of once, and decodes the bytes on later reads', () => {
  const { key, headers } = recordKeyAndHeaders('t');
  const [value] = splitIntoRecords(STREAMS, 1 << 20);
  assert.ok(value !== undefined);
  const first = decodeRecord({ key, value, headers });
  assert.equal(first.request.streams[0]?.entries[0], STREAMS[0]?.entries[0], 'the written entry objects, not a decode');
  const second = decodeRecord({ key, value, headers });
  assert.notEqual(second.request.streams[0]?.entries[0], STREAMS[0]?.entries[0], 'decoded from the bytes');
  const lines = (r: typeof first) => r.request.streams.map((s) => [s.labels, s.entries.map((e) => [e.tsNs, text(e.line)])]);
  assert.deepEqual(lines(second), lines(first));
});
