import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FjordError } from '../../../../schemas/index.js';
import { decodeLegacyPushJson, type PushRequest } from '../../../../schemas/record/index.js';
import { text } from '../../../helpers/bytes.js';

function view(req: PushRequest) {
  return req.streams.map((s) => ({
    labels: s.labels,
    entries: s.entries.map((e) => ({ ts: e.tsNs, line: text(e.line), sm: e.structuredMetadata.map((l) => `${l.name}=${l.value}`) })),
  }));
}

const decodes = [
  { name: 'empty object', body: '{}', want: [] },
  { name: 'null', body: 'null', want: [] },
  {
    name: "Loki's own legacy test body: RFC 3339 ts, structured metadata sorted by name",
    body: '{"streams":[{"labels":"{test=\\"test\\"}","entries":[{"ts":"2019-09-13T18:32:22.380001319Z","line":"super line"},' +
      '{"ts":"2019-09-13T18:32:23.380001319Z","line":"super line with labels","structuredMetadata":{"b":"2","a":"1"}}]}]}',
    want: [{
      labels: '{test="test"}',
      entries: [
        { ts: 1568399542380001319n, line: 'super line', sm: [] },
        { ts: 1568399543380001319n, line: 'super line with labels', sm: ['a=1', 'b=2'] },
      ],
    }],
  },
  {
    name: 'python-logging-loki: an offset zone, microseconds, member names in any case',
    body: '{"Streams":[{"Labels":"{application=\\"py\\", severity=\\"info\\"}","Entries":[{"TS":"2024-05-01T12:00:00.123456+02:00","Line":"hello"}]}]}',
    want: [{ labels: '{application="py", severity="info"}', entries: [{ ts: 1714557600123456000n, line: 'hello', sm: [] }] }],
  },
];
for (const c of decodes) test(`decodeLegacyPushJson: ${c.name}`, () => assert.deepEqual(view(decodeLegacyPushJson(c.body)), c.want));

const refusals = [
  { name: 'empty body', body: '', want: /^EOF$/ },
  { name: 'not JSON', body: '{"streams":', want: /^invalid character/ },
  { name: 'ts not RFC 3339', body: '{"streams":[{"labels":"{a=\\"b\\"}","entries":[{"ts":"1568399542","line":"x"}]}]}', want: /^logproto\.PushRequest\.streams\.entries\.ts: parsing time/ },
  { name: 'entries not an array', body: '{"streams":[{"labels":"{a=\\"b\\"}","entries":{}}]}', want: /cannot unmarshal object into Go value of type \[\]logproto\.Entry/ },
];
for (const c of refusals) {
  test(`decodeLegacyPushJson refuses: ${c.name}`, () => {
    assert.throws(() => decodeLegacyPushJson(c.body), (err: unknown) => err instanceof FjordError && err.code === 'bad_request' && c.want.test(err.message));
  });
}
