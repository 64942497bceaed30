/**
 * Bad pushes get Loki's status and message, nothing of them reaches the log (valid streams of a
 * partly bad push do), and the process stays up. Runs the real fjord command on the embedded log.
 */
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { test } from 'node:test';
import snappy from 'snappy';
import { encodePushProtobuf, type PushRequest } from '../../schemas/record/index.js';
import { tempDir } from '../helpers/env.js';
import { embeddedLogLines } from '../helpers/topic-streams.js';
import { startFjord, waitReady } from '../helpers/fjord-process.js';

interface Case {
  readonly name: string;
  readonly headers?: Record<string, string>;
  readonly body: Buffer | string;
  readonly status: number;
  /** The whole message, or a pattern it must match. */
  readonly message: string | RegExp;
}

const now = () => BigInt(Date.now()) * 1_000_000n;
const json = (streams: unknown) => JSON.stringify({ streams });
const proto = (req: PushRequest) => snappy.compressSync(Buffer.from(encodePushProtobuf(req)));
const entry = (line: string | Buffer, tsNs = now()) => ({ tsNs, line: typeof line === 'string' ? Buffer.from(line) : line, structuredMetadata: [] });

function cases(): Case[] {
  const ts = String(now());
  const good = proto({ streams: [{ labels: '{job="x"}', entries: [entry('ok')] }] });
  const manyLabels = Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`l${i}`, 'v']));
  return [
    { name: 'truncated protobuf', headers: { 'content-type': 'application/x-protobuf' }, body: snappy.compressSync(Buffer.from(encodePushProtobuf({ streams: [{ labels: '{job="x"}', entries: [entry('a line')] }] })).subarray(0, 12)), status: 400, message: 'unexpected EOF' },
    { name: 'protobuf without snappy framing', headers: { 'content-type': 'application/x-protobuf' }, body: Buffer.from(encodePushProtobuf({ streams: [{ labels: '{job="x"}', entries: [entry('x'.repeat(200))] }] })), status: 400, message: 'snappy: corrupt input' },
    { name: 'invalid UTF-8 in a protobuf line', headers: { 'content-type': 'application/x-protobuf' }, body: proto({ streams: [{ labels: '{job="x"}', entries: [entry(Buffer.from([0x61, 0xff, 0xfe]))] }] }), status: 400, message: /not valid UTF-8/ },
    { name: 'JSON: values is not an array', headers: { 'content-type': 'application/json' }, body: json([{ stream: { job: 'x' }, values: 'nope' }]), status: 400, message: /^loghttp\.PushRequest\.Streams: / },
    { name: 'JSON: timestamp as a number', headers: { 'content-type': 'application/json' }, body: `{"streams":[{"stream":{"job":"x"},"values":[[${ts},"line"]]}]}`, status: 400, message: /^loghttp\.PushRequest\.Streams: / },
    { name: 'JSON: not JSON at all', headers: { 'content-type': 'application/json' }, body: 'this is not json', status: 400, message: /^readObjectStart: expect \{ or n, but found t, error found in #1 byte of/ },
    { name: 'empty JSON body', headers: { 'content-type': 'application/json' }, body: '', status: 400, message: 'EOF' },
    { name: 'empty protobuf body', headers: { 'content-type': 'application/x-protobuf' }, body: '', status: 400, message: 'snappy: corrupt input' },
    { name: 'no streams', headers: { 'content-type': 'application/json' }, body: json([]), status: 422, message: 'error at least one valid stream is required for ingestion' },
    { name: 'line over max_line_size', headers: { 'content-type': 'application/json' }, body: json([{ stream: { job: 'x' }, values: [[ts, 'x'.repeat(300_000)]] }]), status: 400, message: `max entry size '262144' bytes exceeded for stream '{job="x", service_name="x"}' while adding an entry with length '300000' bytes` },
    { name: '10k labels', headers: { 'content-type': 'application/json' }, body: json([{ stream: manyLabels, values: [[ts, 'x']] }]), status: 400, message: /has 10000 label names; limit 15$/ },
    { name: 'label name with a dot', headers: { 'content-type': 'application/json' }, body: json([{ stream: { 'a.b': 'c' }, values: [[ts, 'x']] }]), status: 400, message: /^couldn't parse labels: 1:3: parse error: / },
    { name: 'label name with a dash', headers: { 'content-type': 'application/json' }, body: json([{ stream: { 'a-b': 'c' }, values: [[ts, 'x']] }]), status: 400, message: /^couldn't parse labels: 1:3: parse error: / },
    { name: 'label name in unicode', headers: { 'content-type': 'application/json' }, body: json([{ stream: { 'ünï': 'c' }, values: [[ts, 'x']] }]), status: 400, message: /^couldn't parse labels: 1:2: parse error: / },
    { name: 'negative timestamp', headers: { 'content-type': 'application/json' }, body: json([{ stream: { job: 'x' }, values: [['-1000000000', 'x']] }]), status: 400, message: /^entry for stream '\{job="x", service_name="x"\}' has timestamp too old: 1969-12-31T23:59:59Z, oldest acceptable timestamp is: / },
    { name: 'far-future timestamp', headers: { 'content-type': 'application/json' }, body: json([{ stream: { job: 'x' }, values: [[String(now() + 86_400_000_000_000n), 'x']] }]), status: 400, message: /^entry for stream '\{job="x", service_name="x"\}' has timestamp too new: / },
    { name: 'gzip bomb', headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' }, body: gzipSync(Buffer.alloc(8 * 1024 * 1024, 0x20)), status: 413, message: 'request body too large: decompressed message size too large than max (2097153 vs 2097152)' },
    { name: 'body over max_recv_msg_size', headers: { 'content-type': 'application/x-protobuf' }, body: Buffer.alloc(1_100_000, 1), status: 413, message: /^request body too large: message size too large than max \(\d+ vs 1048576\)$/ },
    { name: 'unsupported Content-Encoding', headers: { 'content-type': 'application/x-protobuf', 'content-encoding': 'br' }, body: good, status: 400, message: 'Content-Encoding "br" not supported' },
  ];
}

test('bad pushes: Loki\'s status and message each, nothing written, the process stays up', async (t) => {
  const dir = await tempDir(t);
  const f = await startFjord(t, ['-target=distributor', '-auth.enabled=true', `-common.path-prefix=${dir}`, '-distributor.max-recv-msg-size=1MB', '-distributor.max-decompressed-size=2MB']);
  await waitReady(f);
  for (const c of cases()) {
    const res = await fetch(`${f.url}/loki/api/v1/push`, { method: 'POST', headers: { 'x-scope-orgid': 'bad', ...c.headers }, body: c.body });
    const text = (await res.text()).trimEnd();
    assert.equal(res.status, c.status, `${c.name}: ${text.slice(0, 300)}`);
    if (typeof c.message === 'string') assert.equal(text, c.message, c.name);
    else assert.match(text, c.message, c.name);
    assert.doesNotMatch(text, /\n\s+at .*:\d+:\d+/, `${c.name}: no stack trace`);
    assert.equal((await fetch(`${f.url}/ready`)).status, 200, `${c.name}: still up`);
  }

  const noTenant = await fetch(`${f.url}/loki/api/v1/push`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: json([]) });
  assert.deepEqual([noTenant.status, (await noTenant.text()).trimEnd()], [401, 'no org id']);
  const twoTenants = await fetch(`${f.url}/loki/api/v1/push`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-scope-orgid': 'a|b' }, body: json([]) });
  assert.deepEqual([twoTenants.status, (await twoTenants.text()).trimEnd()], [400, 'multiple org IDs present']);

  // One bad stream among good ones: 400 naming it, the good streams written (Loki's behaviour).
  const ts = String(now());
  const mixed = await fetch(`${f.url}/loki/api/v1/push`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-scope-orgid': 'mixed' },
    body: json([
      { stream: { job: 'good1' }, values: [[ts, 'kept 1']] },
      { stream: { job: 'bad' }, values: [[ts, 'y'.repeat(300_000)]] },
      { stream: { job: 'good2' }, values: [[ts, 'kept 2']] },
    ]),
  });
  assert.equal(mixed.status, 400);
  assert.match(await mixed.text(), /^max entry size '262144' bytes exceeded for stream '\{job="bad", service_name="bad"\}'/);

  assert.equal(await f.stop(), 0);
  const written = await embeddedLogLines(`${dir}/log`);
  assert.deepEqual(written, [
    'mixed {job="good1", service_name="good1"} kept 1',
    'mixed {job="good2", service_name="good2"} kept 2',
  ]);
});
