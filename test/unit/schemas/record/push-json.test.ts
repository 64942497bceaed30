import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FjordError } from '../../../../schemas/index.js';
import { decodePushJson, encodePushJson, type PushRequest } from '../../../../schemas/record/index.js';
import { mutate, text, utf8 } from '../../../helpers/bytes.js';
import { seededRandom } from '../../../helpers/random.js';

function view(req: PushRequest) {
  return req.streams.map((s) => ({
    labels: s.labels,
    entries: s.entries.map((e) => ({ ts: e.tsNs, line: text(e.line), sm: e.structuredMetadata.map((l) => `${l.name}=${l.value}`) })),
  }));
}

const decodes = [
  { name: 'empty object', body: '{}', want: [] },
  { name: 'null', body: 'null', want: [] },
  { name: 'streams null', body: '{"streams":null}', want: [] },
  { name: 'streams empty', body: '{"streams":[]}', want: [] },
  {
    name: 'one entry with structured metadata in the order sent',
    body: '{"streams":[{"stream":{"job":"x"},"values":[["1570818238000000000","fizzbuzz",{"user_id":"u","trace_id":"t","trace_id":"t2"}]]}]}',
    want: [{ labels: '{job="x"}', entries: [{ ts: 1570818238000000000n, line: 'fizzbuzz', sm: ['user_id=u', 'trace_id=t', 'trace_id=t2'] }] }],
  },
  {
    name: 'labels sorted by name, values Go-quoted, last duplicate wins (LabelSet.String)',
    body: '{"streams":[{"stream":{"b":"2","a":"x\\"y\\n","b":"3"},"values":[]}]}',
    want: [{ labels: '{a="x\\"y\\n", b="3"}', entries: [] }],
  },
  {
    name: 'label values of any JSON type become their text (jsonparser ParseString of the raw value)',
    body: '{"streams":[{"stream":{"n":5,"t":true,"z":null},"values":[]}]}',
    want: [{ labels: '{n="5", t="true", z="null"}', entries: [] }],
  },
  { name: 'streams matched case-insensitively (jsoniter)', body: '{"STREAMS":[{"stream":{"a":"b"}}]}', want: [{ labels: '{a="b"}', entries: [] }] },
  {
    name: 'unknown members skipped, only the first JSON value read',
    body: '{"foo":{"x":[1,2,{"y":null}]},"streams":[{"stream":{},"bar":1,"values":[["1","a"]]}]} trailing',
    want: [{ labels: '{}', entries: [{ ts: 1n, line: 'a', sm: [] }] }],
  },
  {
    name: 'null values and null entries are skipped',
    body: '{"streams":[{"stream":{"a":"b"},"values":null},{"stream":{"a":"c"},"values":[null,["2","x"],null]}]}',
    want: [{ labels: '{a="b"}', entries: [] }, { labels: '{a="c"}', entries: [{ ts: 2n, line: 'x', sm: [] }] }],
  },
  {
    name: 'timestamps parse exactly: 19 digits, int64 bounds, negative, "-" alone is 0',
    body: '{"streams":[{"stream":{},"values":[["1714564800123456789","a"],["9223372036854775807","b"],["-9223372036854775808","c"],["-1","d"],["-","e"],["0","f"]]}]}',
    want: [{ labels: '{}', entries: [
      { ts: 1714564800123456789n, line: 'a', sm: [] }, { ts: 9223372036854775807n, line: 'b', sm: [] }, { ts: -9223372036854775808n, line: 'c', sm: [] },
      { ts: -1n, line: 'd', sm: [] }, { ts: 0n, line: 'e', sm: [] }, { ts: 0n, line: 'f', sm: [] },
    ] }],
  },
  {
    name: 'escapes in lines: \\n, \\", \\u00e9, a surrogate pair; elements past the third ignored',
    body: '{"streams":[{"stream":{},"values":[["1","a\\n\\"\\u00e9\\ud83d\\ude00",{},"extra",5]]}]}',
    want: [{ labels: '{}', entries: [{ ts: 1n, line: 'a\n"é😀', sm: [] }] }],
  },
  {
    name: 'a repeated streams member reuses the earlier elements (jsoniter slice reuse)',
    body: '{"streams":[{"stream":{"a":"1"},"values":[["1","x"]]}],"streams":[{"stream":{"a":"2"}}]}',
    want: [{ labels: '{a="2"}', entries: [{ ts: 1n, line: 'x', sm: [] }] }],
  },
];
for (const c of decodes) {
  test(`decodePushJson: ${c.name}`, () => {
    assert.deepEqual(view(decodePushJson(c.body)), c.want);
    assert.deepEqual(view(decodePushJson(utf8(c.body))), c.want);
  });
}

test('decodePushJson: a line without escapes is a subarray of the body', () => {
  const body = utf8('{"streams":[{"stream":{},"values":[["1","plain line"]]}]}');
  const line = decodePushJson(body).streams[0]?.entries[0]?.line;
  assert.equal(line?.buffer, body.buffer);
});

const PREFIX = 'loghttp.PushRequest.Streams: []loghttp.LogProtoStream: ';
// jsonparser's texts (grafana/jsonparser parser.go error variables).
const NOT_STRING = "Value is string, but can't find closing '\"' symbol";
const NOT_OBJECT = "Value looks like object, but can't find closing '}' symbol";
const BAD_VALUE = "Value looks like Number/Boolean/None, but can't find its end: ',' or '}' symbol";

const errors = [
  {
    // Loki's reply to a number as the line, as observed from a running Loki (quoted in a public
    // reimplementation's test: loghttp/query.go unmarshalHTTPToLogProtoEntry → jsoniter ReportError).
    name: 'line as a number: exact text including the position suffix',
    body: '{"streams":[{"stream":{"app":"api"},"values":[["1000000000",500]]}]}',
    exact: `${PREFIX}unmarshalerDecoder: ${NOT_STRING}, error found in #10 byte of ...|00",500]]}]}|..., bigger context ...|ream":{"app":"api"},"values":[["1000000000",500]]}]}|...`,
  },
  // The rest follow from Loki's code: pkg/loghttp/query.go LogProtoStream.UnmarshalJSON and
  // unmarshalHTTPToLogProtoEntry (a failed element does not advance, so the next one is checked at
  // the same place and its error replaces the first), pkg/loghttp/labels.go LabelSet.UnmarshalJSON.
  { name: 'timestamp as a number then a string line (the line is then parsed as the timestamp)', body: '{"streams":[{"stream":{},"values":[[1570818238000000000,"x"]]}]}', prefix: `${PREFIX}unmarshalerDecoder: ${BAD_VALUE}` },
  { name: 'timestamp as a number alone', body: '{"streams":[{"stream":{},"values":[[1570818238000000000]]}]}', prefix: `${PREFIX}unmarshalerDecoder: ${NOT_STRING}` },
  { name: 'timestamp with a leading zero', body: '{"streams":[{"stream":{},"values":[["01","x"]]}]}', prefix: `${PREFIX}unmarshalerDecoder: ${BAD_VALUE}` },
  { name: 'timestamp not digits', body: '{"streams":[{"stream":{},"values":[["12:00","x"]]}]}', prefix: `${PREFIX}unmarshalerDecoder: ${BAD_VALUE}` },
  { name: 'timestamp past int64, alone', body: '{"streams":[{"stream":{},"values":[["9223372036854775808"]]}]}', prefix: `${PREFIX}unmarshalerDecoder: Value is number, but overflowed while parsing` },
  { name: 'timestamp past int64, then a line (the line replaces the error)', body: '{"streams":[{"stream":{},"values":[["9223372036854775808","x"]]}]}', prefix: `${PREFIX}unmarshalerDecoder: ${BAD_VALUE}` },
  { name: 'structured metadata value not a string', body: '{"streams":[{"stream":{},"values":[["1","x",{"k":1}]]}]}', prefix: `${PREFIX}unmarshalerDecoder: ${NOT_STRING}` },
  { name: 'structured metadata not an object', body: '{"streams":[{"stream":{},"values":[["1","x","y"]]}]}', prefix: `${PREFIX}unmarshalerDecoder: ${NOT_OBJECT}` },
  { name: 'stream not an object', body: '{"streams":[{"stream":"x","values":[]}]}', prefix: `${PREFIX}unmarshalerDecoder: ${NOT_OBJECT}` },
  { name: 'stream element not an object', body: '{"streams":[["x"]]}', prefix: `${PREFIX}unmarshalerDecoder: ${NOT_OBJECT}` },
  { name: 'values an object', body: '{"streams":[{"stream":{},"values":{"a":"b"}}]}', prefix: `${PREFIX}unmarshalerDecoder: Value is array, but can't find closing ']' symbol` },
  { name: 'values a string', body: '{"streams":[{"stream":{},"values":"abc"}]}', prefix: `${PREFIX}unmarshalerDecoder: Unknown value type` },
  { name: 'entry not an array', body: '{"streams":[{"stream":{},"values":["x"]}]}', prefix: `${PREFIX}unmarshalerDecoder: Malformed JSON error` },
  { name: 'bad escape in a line', body: '{"streams":[{"stream":{},"values":[["1","\\ud800"]]}]}', prefix: `${PREFIX}unmarshalerDecoder: ${BAD_VALUE}` },
  // jsoniter's own texts (iter.go, iter_object.go, reflect_slice.go, iter_skip*.go).
  { name: 'streams an object', body: '{"streams":{}}', prefix: `${PREFIX}decode slice: expect [ or n, but found {` },
  { name: 'top level an array', body: '[]', prefix: 'readObjectStart: expect { or n, but found [' },
  { name: 'trailing comma in streams', body: '{"streams":[{"stream":{}},]}', prefix: `${PREFIX}Skip: do not know how to skip: 93` },
  { name: 'unterminated body', body: '{"streams":[', prefix: `${PREFIX}Skip: do not know how to skip: 0` },
  { name: 'missing closing brace', body: '{"streams":[]', prefix: 'loghttp.PushRequest.isObjectEnd: object ended prematurely, unexpected char \u0000' },
  { name: 'member name not a string', body: '{streams:[]}', prefix: 'loghttp.PushRequest.readFieldHash: expect ", but found s' },
  { name: 'control character in a line', body: '{"streams":[{"stream":{},"values":[["1","a\tb"]]}]}', prefix: `${PREFIX}trySkipString: invalid control character found: 9` },
  { name: 'bad literal', body: '{"streams":[{"stream":{},"values":[["1","x"]],"z":nul}]}', prefix: `${PREFIX}skipThreeBytes: expect ull` },
  { name: 'whitespace only', body: '  ', exact: 'readObjectStart: expect { or n, but found \u0000, error found in #0 byte of ...|  |..., bigger context ...|  |...' },
  { name: 'empty body (Go io.EOF)', body: '', exact: 'EOF' },
];
for (const c of errors) {
  test(`decodePushJson rejects: ${c.name}`, () => {
    assert.throws(() => decodePushJson(c.body), (err) => {
      assert.ok(err instanceof FjordError && err.code === 'bad_request', String(err));
      if (c.exact !== undefined) assert.equal(err.message, c.exact);
      else {
        assert.ok(err.message.startsWith(`${c.prefix}, error found in #`), err.message);
        assert.match(err.message, /, error found in #\d+ byte of \.\.\.\|[^]*\|\.\.\., bigger context \.\.\.\|[^]*\|\.\.\.$/);
      }
      return true;
    });
  });
}

test('decodePushJson: the position suffix is cut from a 512-byte read buffer, as jsoniter reads', () => {
  const pad = ' '.repeat(600);
  const body = `{"streams":[${pad}{"stream":{},"values":[["1",5]]}]}`;
  assert.throws(() => decodePushJson(body), (err) => {
    assert.ok(err instanceof FjordError);
    const context = /bigger context \.\.\.\|([^]*)\|\.\.\.$/.exec(err.message)?.[1] ?? '';
    assert.ok(!context.includes('streams'), 'context comes from the second buffer only');
    return true;
  });
});

test('decodePushJson: a body that is not UTF-8 is rejected', () => {
  const body = Uint8Array.from([...utf8('{"streams":[{"stream":{},"values":[["1","'), 0xff, ...utf8('"]]}]}')]);
  assert.throws(() => decodePushJson(body), (err) => err instanceof FjordError && err.code === 'bad_request' && err.message === 'push body is not valid UTF-8 (first bad byte at offset 41)');
});

test('decodePushJson: 10k labels in one stream object', () => {
  const members = Array.from({ length: 10_000 }, (_, i) => `"l${String(i).padStart(5, '0')}":"v${i}"`).join(',');
  const got = decodePushJson(`{"streams":[{"stream":{${members}},"values":[["1","x"]]}]}`);
  const labels = got.streams[0]?.labels ?? '';
  assert.ok(labels.startsWith('{l00000="v0", l00001="v1", '));
  assert.equal(labels.split(', ').length, 10_000);
});

test('encodePushJson/decodePushJson round trip', () => {
  const req: PushRequest = {
    streams: [
      { labels: '{app="x", env="a\\"b"}', entries: [
        { tsNs: 1714564800123456789n, line: utf8('line "one"\n'), structuredMetadata: [{ name: 'trace_id', value: 'abc' }] },
        { tsNs: -5n, line: utf8(''), structuredMetadata: [] },
      ] },
    ],
  };
  assert.deepEqual(view(decodePushJson(encodePushJson(req))), view(req));
});

test('decodePushJson: random mutations of a valid body never throw anything but FjordError(bad_request)', () => {
  const body = utf8(encodePushJson({
    streams: [
      { labels: '{app="checkout", env="prod"}', entries: [
        { tsNs: 1714564800123456789n, line: utf8('level=info msg="done" é'), structuredMetadata: [{ name: 'trace_id', value: '0242ac120002' }] },
        { tsNs: 5n, line: utf8('{"a":[1,2,{"b":null}]}'), structuredMetadata: [] },
      ] },
    ],
  }));
  const rand = seededRandom(7);
  let rejected = 0;
  for (let i = 0; i < 20_000; i++) {
    const input = mutate(body, rand);
    try {
      decodePushJson(input);
    } catch (err) {
      assert.ok(err instanceof FjordError && err.code === 'bad_request', `mutation ${i} (${JSON.stringify(text(input))}) threw ${String(err)}`);
      rejected++;
    }
  }
  assert.ok(rejected > 1000, `only ${rejected} mutations were rejected`);
});
