/**
 * Pushes refused by the tenant's stream limits and per-stream rate limit get Loki's status and
 * message on both the Loki and the OTLP route (429 with the streams that fit written, or 429 for the
 * whole push; 400 for a partly invalid OTLP push), and only the accepted streams reach the log.
 * Runs the real fjord command on the embedded log.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { tempDir } from '../helpers/env.js';
import { embeddedLogLines } from '../helpers/topic-streams.js';
import { startFjord, waitReady } from '../helpers/fjord-process.js';

const now = () => String(BigInt(Date.now()) * 1_000_000n);
const lokiJson = (streams: Record<string, string[]>) =>
  JSON.stringify({ streams: Object.entries(streams).map(([job, lines]) => ({ stream: { job }, values: lines.map((l) => [now(), l]) })) });
const otlpJson = (services: Record<string, string[]>, tsNs = now()) =>
  JSON.stringify({
    resourceLogs: Object.entries(services).map(([name, lines]) => ({
      resource: { attributes: [{ key: 'service.name', value: { stringValue: name } }] },
      scopeLogs: [{ logRecords: lines.map((l) => ({ timeUnixNano: tsNs, body: { stringValue: l } })) }],
    })),
  });

/** The message of a google.rpc.Status (field 2), as Loki's OTLP errors carry it. */
function rpcStatusMessage(body: Buffer): string {
  assert.equal(body[0], 0x12);
  let len = 0;
  let shift = 0;
  let i = 1;
  for (;;) {
    const b = body[i++] as number;
    len |= (b & 0x7f) << shift;
    if (b < 0x80) break;
    shift += 7;
  }
  return body.subarray(i, i + len).toString('utf8');
}

const streamLimit = (stream: string, tenant: string) =>
  `maximum active stream limit exceeded when trying to create stream ${stream}, reduce the number of active streams (reduce labels or reduce label values), or contact your Loki administrator to see if the limit can be increased, user: '${tenant}'`;

test('stream and per-stream rate limits: Loki\'s 429s on the Loki and OTLP routes, accepted streams written', async (t) => {
  const dir = await tempDir(t);
  const f = await startFjord(t, [
    '-target=distributor', '-auth.enabled=true', `-common.path-prefix=${dir}`,
    '-ingester.max-global-streams-per-user=2', '-ingester.per-stream-rate-limit=1KB', '-ingester.per-stream-rate-limit-burst=1KB',
  ]);
  await waitReady(f);
  const push = async (tenant: string, path: string, body: string) => {
    const res = await fetch(`${f.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-scope-orgid': tenant }, body });
    const raw = Buffer.from(await res.arrayBuffer());
    return { status: res.status, text: path === '/otlp/v1/logs' && res.status !== 204 ? rpcStatusMessage(raw) : raw.toString('utf8').trimEnd() };
  };
  const loki = (tenant: string, streams: Record<string, string[]>) => push(tenant, '/loki/api/v1/push', lokiJson(streams));
  const otlp = (tenant: string, services: Record<string, string[]>, tsNs?: string) => push(tenant, '/otlp/v1/logs', otlpJson(services, tsNs));

  assert.deepEqual(await loki('lim', { a: ['a 1'], b: ['b 1'] }), { status: 204, text: '' });
  assert.deepEqual(await loki('lim', { a: ['a 2'], c: ['c 1'] }), { status: 429, text: streamLimit('{job="c", service_name="c"}', 'lim') }, 'partly refused: the stream that fits is written');
  assert.deepEqual(await loki('lim', { d: ['d 1'] }), { status: 429, text: streamLimit('{job="d", service_name="d"}', 'lim') }, 'refused as a whole');
  // 2000 line bytes and 21 of the detected_level=unknown structured metadata the distributor adds.
  assert.deepEqual(await loki('lim', { a: ['x'.repeat(2000)] }), {
    status: 429,
    text: `Per stream rate limit exceeded (limit: 1KB/sec) while attempting to ingest for stream '{job="a", service_name="a"}' totaling 2021B, consider splitting a stream via additional labels or contact your Loki administrator to see if the limit can be increased`,
  });

  assert.deepEqual(await otlp('otlp', { s1: ['s1 1'], s2: ['s2 1'], s3: ['s3 1'] }), { status: 429, text: streamLimit('{service_name="s3"}', 'otlp') }, 'OTLP partly refused');
  assert.deepEqual(await otlp('otlp', { s4: ['s4 1'] }), { status: 429, text: streamLimit('{service_name="s4"}', 'otlp') }, 'OTLP refused as a whole');
  const tooNew = String(BigInt(Date.now() + 86_400_000) * 1_000_000n);
  const partlyInvalid = await otlp('otlp-bad', { late: ['in the future'] }, tooNew);
  assert.equal(partlyInvalid.status, 400);
  assert.match(partlyInvalid.text, /^entry for stream '\{service_name="late"\}' has timestamp too new: /);

  assert.equal(await f.stop(), 0);
  const written = await embeddedLogLines(`${dir}/log`);
  assert.deepEqual(written, [
    'lim {job="a", service_name="a"} a 1',
    'lim {job="a", service_name="a"} a 2',
    'lim {job="b", service_name="b"} b 1',
    'otlp {service_name="s1"} s1 1',
    'otlp {service_name="s2"} s2 1',
  ]);
});
