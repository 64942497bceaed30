import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FjordError } from '../../../../schemas/index.js';
import { ProtoReader } from '../../../../schemas/wire/index.js';
import {
  MISSING_TIMESTAMP_NS, decodePushProtobuf, encodePushProtobuf, pushRequestSize, type PushRequest,
} from '../../../../schemas/record/index.js';
import { hex, mutate, text, toHex, utf8 } from '../../../helpers/bytes.js';
import { seededRandom } from '../../../helpers/random.js';

function badRequest(message: string) {
  return (err: unknown) => err instanceof FjordError && err.code === 'bad_request' && err.message === message;
}

/** A readable view of a decoded request. */
function view(req: PushRequest) {
  return req.streams.map((s) => ({
    labels: s.labels,
    entries: s.entries.map((e) => ({ ts: e.tsNs, line: text(e.line), sm: e.structuredMetadata.map((l) => `${l.name}=${l.value}`) })),
  }));
}

// PushRequest{streams: [StreamAdapter{labels: '{a="b"}', entries: [EntryAdapter{timestamp: {seconds: 1,
// nanos: 2}, line: 'hi', structuredMetadata: [{k, v}]}]}]}, written out by hand from schemas/push.proto.
const HAND_BUILT = `
  0a 1d                         # streams (field 1, LEN 29)
    0a 07 7b613d2262227d        # labels (field 1) '{a="b"}'
    12 12                       # entries (field 2, LEN 18)
      0a 04 08 01 10 02         # timestamp (field 1): seconds=1, nanos=2
      12 02 6869                # line (field 2) 'hi'
      1a 06 0a 01 6b 12 01 76   # structuredMetadata (field 3): name 'k', value 'v'
`.replace(/#[^\n]*/g, '');

const decodes = [
  {
    name: 'hand-built request',
    bytes: HAND_BUILT,
    want: [{ labels: '{a="b"}', entries: [{ ts: 1_000_000_002n, line: 'hi', sm: ['k=v'] }] }],
  },
  { name: 'empty body', bytes: '', want: [] },
  {
    name: 'unknown fields of every wire type are skipped at every level, format and hash and parsed ignored',
    bytes: '12046c6f6b69 7d01020304 0a23 182a 0a027b7d 1219 0a0408011002 120178 22050a01701200 790102030405060708 7805',
    want: [{ labels: '{}', entries: [{ ts: 1_000_000_002n, line: 'x', sm: [] }] }],
  },
  {
    name: 'entries before labels; last labels win',
    bytes: '0a0f 12040a020805 0a027b7d 0a037b787d',
    want: [{ labels: '{x}', entries: [{ ts: 5_000_000_000n, line: '', sm: [] }] }],
  },
  { name: 'entry without a timestamp is 0001-01-01', bytes: '0a 06 12 04 12 02 6869', want: [{ labels: '', entries: [{ ts: MISSING_TIMESTAMP_NS, line: 'hi', sm: [] }] }] },
  { name: 'empty timestamp message is the epoch', bytes: '0a 04 12 02 0a 00', want: [{ labels: '', entries: [{ ts: 0n, line: '', sm: [] }] }] },
  {
    name: 'negative seconds (10-byte varint) with nanos',
    bytes: '0a11 120f 0a0d 08ffffffffffffffffff01 1005',
    want: [{ labels: '', entries: [{ ts: -999_999_995n, line: '', sm: [] }] }],
  },
  {
    name: '19-digit timestamp exact',
    bytes: '0a 0f 12 0d 0a 0b 08 c0ddc8b106 10 959aef3a',
    want: [{ labels: '', entries: [{ ts: 1714564800123456789n, line: '', sm: [] }] }],
  },
  {
    name: 'earliest and latest accepted timestamps',
    bytes: '0a20 120d0a0b088092b8c398feffffff01 120f0a0d08ff82d1ffaf0710ff93ebdc03',
    want: [{ labels: '', entries: [{ ts: -62135596800_000_000_000n, line: '', sm: [] }, { ts: 253402300799_999_999_999n, line: '', sm: [] }] }],
  },
];
for (const c of decodes) {
  test(`decodePushProtobuf: ${c.name}`, () => assert.deepEqual(view(decodePushProtobuf(hex(c.bytes))), c.want));
}

test('encodePushProtobuf writes the hand-built bytes exactly', () => {
  const req = decodePushProtobuf(hex(HAND_BUILT));
  assert.equal(toHex(encodePushProtobuf(req)), toHex(hex(HAND_BUILT)));
  assert.equal(pushRequestSize(req.streams), hex(HAND_BUILT).length);
});

test('decodePushProtobuf: lines are subarrays of the input', () => {
  const input = hex(HAND_BUILT);
  const line = decodePushProtobuf(input).streams[0]?.entries[0]?.line;
  assert.equal(line?.buffer, input.buffer);
});

const roundTrips: Array<{ name: string; req: PushRequest }> = [
  {
    name: 'several streams, metadata, empty line, negative and huge timestamps',
    req: {
      streams: [
        { labels: '{app="x", env="prod"}', entries: [
          { tsNs: 1714564800123456789n, line: utf8('hello'), structuredMetadata: [{ name: 'trace_id', value: 'abc' }, { name: 'trace_id', value: 'dup' }] },
          { tsNs: -5n, line: utf8(''), structuredMetadata: [] },
          { tsNs: 253402300799_999_999_999n, line: utf8('é😀\n'), structuredMetadata: [{ name: '', value: '' }] },
        ] },
        { labels: '', entries: [] },
      ],
    },
  },
];
for (const c of roundTrips) {
  test(`encodePushProtobuf/decodePushProtobuf round trip: ${c.name}`, () => {
    const bytes = encodePushProtobuf(c.req);
    assert.equal(bytes.length, pushRequestSize(c.req.streams));
    assert.deepEqual(view(decodePushProtobuf(bytes)), view(c.req));
  });
}

// Every text is Loki's (pkg/push/types.go Stream/Entry/LabelAdapter.Unmarshal, pkg/push/push.pb.go
// PushRequest.Unmarshal, pkg/push/timestamp.go validateTimestamp); the UTF-8 ones are Fjord's.
const errors = [
  { name: 'streams as varint', bytes: '08 01', want: 'proto: wrong wireType = 0 for field Streams' },
  { name: 'format as varint', bytes: '10 01', want: 'proto: wrong wireType = 0 for field Format' },
  { name: 'labels as varint (Loki names the wrong field)', bytes: '0a 02 08 01', want: 'proto: wrong wireType = 0 for field StructuredMetadata' },
  { name: 'entries as fixed32', bytes: '0a 05 15 00000000', want: 'proto: wrong wireType = 5 for field Entries' },
  { name: 'hash as LEN', bytes: '0a 02 1a 00', want: 'proto: wrong wireType = 2 for field Hash' },
  { name: 'timestamp as varint', bytes: '0a 04 12 02 08 01', want: 'proto: wrong wireType = 0 for field Timestamp' },
  { name: 'line as varint', bytes: '0a 04 12 02 10 01', want: 'proto: wrong wireType = 0 for field Line' },
  { name: 'structured metadata as varint', bytes: '0a 04 12 02 18 01', want: 'proto: wrong wireType = 0 for field StructuredMetadata' },
  { name: 'parsed as varint', bytes: '0a 04 12 02 20 01', want: 'proto: wrong wireType = 0 for field Parsed' },
  { name: 'label name as varint', bytes: '0a 06 12 04 1a 02 08 01', want: 'proto: wrong wireType = 0 for field Name' },
  { name: 'label value as varint', bytes: '0a 06 12 04 1a 02 10 01', want: 'proto: wrong wireType = 0 for field Value' },
  { name: 'seconds as LEN', bytes: '0a 06 12 04 0a 02 0a 00', want: 'proto: wrong wireType = 2 for field Seconds' },
  { name: 'nanos as LEN', bytes: '0a 06 12 04 0a 02 12 00', want: 'proto: wrong wireType = 2 for field Nanos' },
  { name: 'end group in request', bytes: '0c', want: 'proto: PushRequest: wiretype end group for non-group' },
  { name: 'end group in stream', bytes: '0a 01 0c', want: 'proto: StreamAdapter: wiretype end group for non-group' },
  { name: 'end group in entry', bytes: '0a 03 12 01 0c', want: 'proto: EntryAdapter: wiretype end group for non-group' },
  { name: 'end group in label pair', bytes: '0a 05 12 03 1a 01 0c', want: 'proto: LabelPairAdapter: wiretype end group for non-group' },
  { name: 'end group in timestamp', bytes: '0a 05 12 03 0a 01 0c', want: 'proto: Timestamp: wiretype end group for non-group' },
  { name: 'field 0 in request', bytes: '02 00', want: 'proto: PushRequest: illegal tag 0 (wire type 2)' },
  { name: 'field 0 in stream', bytes: '0a 01 00', want: 'proto: StreamAdapter: illegal tag 0 (wire type 0)' },
  { name: 'truncated stream', bytes: '0a 05 0a', want: 'unexpected EOF' },
  { name: 'truncated tag', bytes: '0a 01 80', want: 'unexpected EOF' },
  { name: 'varint too long', bytes: 'ffffffffffffffffffff01', want: 'proto: integer overflow' },
  { name: 'negative length', bytes: '0a ffffffffffffffff8001', want: 'proto: negative length found during unmarshaling' },
  { name: 'unknown field with wire type 6', bytes: '7e', want: 'proto: illegal wireType 6' },
  { name: 'unknown end group', bytes: '0a 01 7c', want: 'proto: StreamAdapter: wiretype end group for non-group' },
  { name: 'seconds past 9999', bytes: '0a0b12090a07088083d1ffaf07', want: 'timestamp: &types.Timestamp{Seconds: 253402300800,\nNanos: 0,\n} after 10000-01-01' },
  { name: 'seconds before year 1', bytes: '0a0f120d0a0b08ff91b8c398feffffff01', want: 'timestamp: &types.Timestamp{Seconds: -62135596801,\nNanos: 0,\n} before 0001-01-01' },
  { name: 'negative nanos', bytes: '0a0f120d0a0b10ffffffffffffffffff01', want: 'timestamp: &types.Timestamp{Seconds: 0,\nNanos: -1,\n}: nanos not in range [0, 1e9)' },
  { name: 'nanos of a whole second', bytes: '0a0a12080a06108094ebdc03', want: 'timestamp: &types.Timestamp{Seconds: 0,\nNanos: 1000000000,\n}: nanos not in range [0, 1e9)' },
  { name: 'line not UTF-8', bytes: '0a 0f 0a 07 7b613d2262227d 12 04 12 02 c328', want: 'the line of entry 1 of stream \'{a="b"}\' is not valid UTF-8' },
  { name: 'labels not UTF-8', bytes: '0a 03 0a 01 ff', want: 'stream labels are not valid UTF-8: "\ufffd"' },
  { name: 'metadata value not UTF-8', bytes: '0a0a120012061a041202eda0', want: "structured metadata of entry 2 of stream '' is not valid UTF-8" },
];
for (const c of errors) {
  test(`decodePushProtobuf rejects: ${c.name}`, () => assert.throws(() => decodePushProtobuf(hex(c.bytes)), badRequest(c.want)));
}

function fixtureRequest(): Uint8Array {
  return encodePushProtobuf({
    streams: [
      { labels: '{app="checkout", env="prod"}', entries: [
        { tsNs: 1714564800123456789n, line: utf8('level=info msg="done" took=12ms'), structuredMetadata: [{ name: 'trace_id', value: '0242ac120002' }] },
        { tsNs: 1714564800223456789n, line: utf8('{"level":"error","msg":"upstream timeout"}'), structuredMetadata: [] },
      ] },
      { labels: '{app="cart"}', entries: [{ tsNs: -1n, line: utf8('x'), structuredMetadata: [] }] },
    ],
  });
}

test('decodePushProtobuf: a body cut at every byte decodes (at a stream boundary) or is FjordError(bad_request)', () => {
  const body = fixtureRequest();
  const whole = decodePushProtobuf(body);
  const r = new ProtoReader(body);
  r.readVarint();
  const firstStream = r.readLength() + r.pos; // tag, length, stream
  for (let cut = 0; cut < body.length; cut++) {
    const part = body.subarray(0, cut);
    if (cut === 0 || cut === firstStream) {
      assert.deepEqual(view(decodePushProtobuf(part)), view({ streams: whole.streams.slice(0, cut === 0 ? 0 : 1) }));
      continue;
    }
    assert.throws(() => decodePushProtobuf(part), (err) => err instanceof FjordError && err.code === 'bad_request', `cut at ${cut}`);
  }
});

test('decodePushProtobuf: 10k structured metadata pairs and 10k-pair label text', () => {
  const pairs = Array.from({ length: 10_000 }, (_, i) => ({ name: `name_${i}`, value: `value ${i}` }));
  const labels = '{' + pairs.map((p) => `${p.name}="${p.value}"`).join(', ') + '}';
  const req: PushRequest = { streams: [{ labels, entries: [{ tsNs: 1n, line: utf8('x'), structuredMetadata: pairs }] }] };
  const got = decodePushProtobuf(encodePushProtobuf(req));
  assert.equal(got.streams[0]?.labels, labels);
  assert.deepEqual(got.streams[0]?.entries[0]?.structuredMetadata, pairs);
});

test('decodePushProtobuf: random mutations of a valid body never throw anything but FjordError(bad_request)', () => {
  const body = fixtureRequest();
  const rand = seededRandom(42);
  let rejected = 0;
  for (let i = 0; i < 20_000; i++) {
    const input = mutate(body, rand);
    try {
      decodePushProtobuf(input);
    } catch (err) {
      assert.ok(err instanceof FjordError && err.code === 'bad_request', `mutation ${i} (${toHex(input)}) threw ${String(err)}`);
      rejected++;
    }
  }
  assert.ok(rejected > 1000, `only ${rejected} mutations were rejected`);
});

test('encodePushProtobuf: timestamps round-trip exactly at second boundaries, before 1970 and at the accepted extremes', () => {
  const base = 1_700_000_000_123_456_789n;
  const stamps = [
    0n, 1n, 999_999_999n, 1_000_000_000n, 1_000_000_001n, -1n, -999_999_999n, -1_000_000_000n, -1_000_000_001n,
    base, base + 1n, base - 1n, (base / 1_000_000_000n) * 1_000_000_000n, MISSING_TIMESTAMP_NS, MISSING_TIMESTAMP_NS + 1n,
    253_402_300_799_999_999_999n, 253_402_300_799_000_000_000n,
  ];
  const req: PushRequest = { streams: [{ labels: '{a="b"}', entries: stamps.map((tsNs) => ({ tsNs, line: utf8('x'), structuredMetadata: [] })) }] };
  const got = decodePushProtobuf(encodePushProtobuf(req));
  assert.deepEqual(got.streams[0]?.entries.map((e) => e.tsNs), stamps);
});

test('encodePushProtobuf: shared (frozen) structured metadata labels encode exactly as plain ones', () => {
  const shared = Object.freeze({ name: 'detected_level', value: 'info' });
  const entry = (sm: PushRequest['streams'][number]['entries'][number]['structuredMetadata']) => ({ tsNs: 1_700_000_000_000_000_001n, line: utf8('x'), structuredMetadata: sm });
  const frozen: PushRequest = { streams: [{ labels: '{a="b"}', entries: [entry([shared]), entry([{ name: 'k', value: 'ü' }, shared]), entry([shared])] }] };
  const plain: PushRequest = { streams: [{ labels: '{a="b"}', entries: frozen.streams[0]!.entries.map((e) => entry(e.structuredMetadata.map((l) => ({ ...l })))) }] };
  const bytes = encodePushProtobuf(frozen);
  assert.deepEqual(bytes, encodePushProtobuf(plain));
  assert.equal(bytes.length, pushRequestSize(frozen.streams));
  assert.deepEqual(decodePushProtobuf(bytes).streams[0]?.entries[1]?.structuredMetadata, [{ name: 'k', value: 'ü' }, { name: 'detected_level', value: 'info' }]);
});

/** The entries of `req` without their received wire bytes, so they encode from their fields. */
function withoutWire(req: PushRequest): PushRequest {
  return { streams: req.streams.map((s) => ({ labels: s.labels, entries: s.entries.map((e) => ({ tsNs: e.tsNs, line: e.line, structuredMetadata: e.structuredMetadata })) })) };
}

const wires = [
  { name: 'timestamp and line, canonical', bytes: '0a 0e 0a 00 12 0a 0a 04 08 01 10 02 12 02 6869', wire: '0a0408011002 12026869' },
  { name: 'line before timestamp', bytes: '0a 0e 0a 00 12 0a 12 02 6869 0a 04 08 01 10 02', wire: null },
  { name: 'seconds only', bytes: '0a 0c 0a 00 12 08 0a 02 08 07 12 02 6869', wire: '0a020807 12026869' },
  { name: 'nanos written as an explicit zero', bytes: '0a 0e 0a 00 12 0a 0a 04 08 01 10 00 12 02 6869', wire: null },
  { name: 'seconds written twice', bytes: '0a 10 0a 00 12 0c 0a 06 08 05 08 01 10 02 12 02 6869', wire: null },
  { name: 'padded varint length of the line', bytes: '0a 0f 0a 00 12 0b 0a 04 08 01 10 02 12 82 00 6869', wire: null },
  { name: 'with structured metadata', bytes: HAND_BUILT, wire: null },
  { name: 'with a parsed pair', bytes: '0a 16 0a 00 12 12 0a 04 08 01 10 02 12 02 6869 22 06 0a 01 6b 12 01 76', wire: null },
  { name: 'with an unknown field', bytes: '0a 10 0a 00 12 0c 0a 04 08 01 10 02 12 02 6869 78 05', wire: null },
  { name: 'empty line', bytes: '0a 08 0a 00 12 04 0a 02 08 01', wire: null },
];
for (const c of wires) {
  test(`decodePushProtobuf: entry wire bytes, ${c.name}`, () => {
    const req = decodePushProtobuf(hex(c.bytes));
    const e = req.streams[0]?.entries[0];
    assert.equal(e?.wire === undefined ? null : toHex(e.wire), c.wire === null ? null : toHex(hex(c.wire)));
    // Whatever was kept, the request encodes as if it had been encoded from its fields.
    assert.deepEqual(encodePushProtobuf(req), encodePushProtobuf(withoutWire(req)));
    assert.equal(encodePushProtobuf(req).length, pushRequestSize(req.streams));
  });
}

test('encodePushProtobuf: an entry with wire bytes and structured metadata added encodes as one built from its fields', () => {
  const req = decodePushProtobuf(hex(wires[0]!.bytes));
  const e = req.streams[0]!.entries[0]!;
  const level = Object.freeze({ name: 'detected_level', value: 'info' });
  const added: PushRequest = { streams: [{ labels: '{a="b"}', entries: [{ ...e, structuredMetadata: [level, { name: 'k', value: 'v' }] }] }] };
  assert.ok(added.streams[0]!.entries[0]!.wire);
  assert.deepEqual(encodePushProtobuf(added), encodePushProtobuf(withoutWire(added)));
  assert.deepEqual(view(decodePushProtobuf(encodePushProtobuf(added))), [{ labels: '{a="b"}', entries: [{ ts: 1_000_000_002n, line: 'hi', sm: ['detected_level=info', 'k=v'] }] }]);
});

test('decodePushProtobuf: entries with the same short structured metadata pair share one frozen pair', () => {
  const sm = [{ name: 'detected_level', value: 'info' }];
  const req: PushRequest = { streams: [{ labels: '{a="b"}', entries: [1n, 2n, 3n].map((tsNs) => ({ tsNs, line: utf8('x'), structuredMetadata: sm.map((l) => ({ ...l })) })) }] };
  const got = decodePushProtobuf(encodePushProtobuf(req)).streams[0]!.entries.map((e) => e.structuredMetadata[0]);
  assert.ok(Object.isFrozen(got[0]));
  assert.equal(got[1], got[0]);
  assert.equal(got[2], got[0]);
  assert.deepEqual(got[0], { name: 'detected_level', value: 'info' });
});

test('decodePushProtobuf: a pair that is not UTF-8 is refused in every stream it appears in', () => {
  // Two streams with the same non-UTF-8 pair value (0xff): a remembered pair must not hide the second.
  const stream = (labels: string) => `0a 15 0a 05 ${toHex(utf8(labels))} 12 0c 0a 02 08 01 12 01 78 1a 03 12 01 ff`;
  assert.throws(() => decodePushProtobuf(hex(stream('{a=2}'))), /structured metadata of entry 1 of stream '\{a=2\}' is not valid UTF-8/);
  // A good stream first, whose pair is remembered, then the bad one.
  const good = `0a 15 0a 05 ${toHex(utf8('{a=1}'))} 12 0c 0a 02 08 01 12 01 78 1a 03 12 01 76`;
  assert.throws(() => decodePushProtobuf(hex(`${good} ${stream('{a=2}')} ${stream('{a=3}')}`)), /of stream '\{a=2\}' is not valid UTF-8/);
});
