/**
 * Pushes in every format, through the fjord command's distributor, land in the log as Fjord's
 * records, on the partition of each stream: checked by reading the topic back, on the embedded log
 * and on the real Kafka broker. OTLP bodies in lz4 frames (Loki accepts gzip, zstd and lz4) land whole.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test, type TestContext } from 'node:test';
import { EmbeddedLog, KafkaLog, silentLogger, type LogRecord, type PartitionLog } from '../../platform/index.js';
import { decodeRecord, type PushRequest } from '../../schemas/record/index.js';
import { fixturePath } from '../helpers/bytes.js';
import { kafkaBrokers, tempDir, uniqueName } from '../helpers/env.js';
import { startFjord, waitReady, type FjordChild } from '../helpers/fjord-process.js';
import { lokiBodies, lokiFixture, otlpBodies, otlpFixture, type PushBody } from '../helpers/push-bodies.js';

const PARTITIONS = 4;

/** FNV-1 32-bit written out again here, so the partition rule is checked against its definition. */
function fnv1(text: string): number {
  let h = 0x811c9dc5;
  for (const b of Buffer.from(text)) h = ((Math.imul(h, 0x01000193) >>> 0) ^ b) >>> 0;
  return h;
}

interface Backend {
  readonly name: string;
  start(t: TestContext): Promise<{ fjord: FjordChild; read: () => Promise<LogRecord[][]> }>;
}

async function readAll(log: PartitionLog): Promise<LogRecord[][]> {
  const out: LogRecord[][] = [];
  for (const { partition, end } of await log.offsets()) {
    const got: LogRecord[] = [];
    if (end > 0) {
      const ac = new AbortController();
      for await (const batch of log.read(partition, 0, ac.signal)) {
        got.push(...batch);
        if (got.length >= end) break;
      }
      ac.abort();
    }
    out[partition] = got;
  }
  return out;
}

const backends: Backend[] = [
  {
    name: 'embedded log',
    async start(t) {
      const dir = await tempDir(t);
      const fjord = await startFjord(t, ['-target=distributor', '-auth.enabled=true', `-common.path-prefix=${dir}`, `-kafka.embedded.partitions=${PARTITIONS}`]);
      await waitReady(fjord);
      return {
        fjord,
        read: async () => {
          assert.equal(await fjord.stop(), 0);
          const log = new EmbeddedLog(
            { directory: `${dir}/log`, topic: 'fjord.logs', autoCreatePartitions: null, fsync: 'interval', fsyncIntervalMs: 1000,
              segmentSizeBytes: 1 << 26, retentionMs: 0, maxRecordBytes: 1 << 24 },
            silentLogger(),
          );
          await log.start();
          try {
            return await readAll(log);
          } finally {
            await log.stop();
          }
        },
      };
    },
  },
  {
    name: 'kafka',
    async start(t) {
      const dir = await tempDir(t);
      const topic = uniqueName('fjord-push');
      const fjord = await startFjord(t, [
        '-target=distributor', '-auth.enabled=true', `-common.path-prefix=${dir}`, `-kafka.address=${kafkaBrokers().join(',')}`,
        `-kafka.topic=${topic}`, `-kafka.auto-create-topic-default-partitions=${PARTITIONS}`,
      ]);
      await waitReady(fjord, 60_000);
      return {
        fjord,
        read: async () => {
          const log = new KafkaLog(
            { brokers: kafkaBrokers(), dialTimeoutMs: 2000, requestTimeoutMs: 30_000, sasl: null, topic, clientId: 'fjord-test',
              writeTimeoutMs: 10_000, autoCreatePartitions: null, maxRecordBytes: 1 << 24, maxBufferedBytes: 1 << 26, compression: 'none', sessionTimeoutMs: 30_000 },
            silentLogger(),
          );
          await log.start(new AbortController().signal);
          try {
            return await readAll(log);
          } finally {
            await log.stop();
          }
        },
      };
    },
  },
];

async function send(f: FjordChild, b: PushBody, tenant: string): Promise<Response> {
  return fetch(`${f.url}${b.path}`, { method: 'POST', headers: { ...b.headers, 'x-scope-orgid': tenant }, body: b.body });
}

for (const backend of backends) {
  test(`${backend.name}: every push format lands on the stream's partition with the pushed entries`, async (t) => {
    const { fjord, read } = await backend.start(t);
    const nowNs = BigInt(Date.now()) * 1_000_000n;
    const loki = lokiFixture(nowNs);
    const sent = new Map<string, PushBody>();
    for (const b of lokiBodies(loki)) {
      const tenant = `t-${b.name.replace(/[^a-z0-9]+/g, '-')}`;
      const res = await send(fjord, b, tenant);
      assert.equal(res.status, 204, `${b.name}: ${await res.text()}`);
      sent.set(tenant, b);
    }
    for (const b of otlpBodies(otlpFixture(nowNs))) {
      const tenant = `t-${b.name.replace(/[^a-z0-9]+/g, '-')}`;
      const res = await send(fjord, b, tenant);
      assert.equal(res.status, 204, `${b.name}: ${res.status} ${Buffer.from(await res.arrayBuffer()).toString()}`);
      sent.set(tenant, b);
    }
    const partitions = await read();
    assert.equal(partitions.length, PARTITIONS);
    const byTenant = new Map<string, Array<{ partition: number; req: PushRequest }>>();
    partitions.forEach((records, partition) => {
      for (const r of records) {
        const { tenant, request } = decodeRecord(r);
        assert.equal(Buffer.from(r.key ?? []).toString(), tenant, 'the record key is the tenant');
        byTenant.set(tenant, [...(byTenant.get(tenant) ?? []), { partition, req: request }]);
      }
    });
    assert.deepEqual([...byTenant.keys()].sort(), [...sent.keys()].sort());
    for (const [tenant, records] of byTenant) {
      for (const { partition, req } of records) {
        for (const s of req.streams) {
          assert.equal(partition, fnv1(tenant + s.labels) % PARTITIONS, `${tenant} ${s.labels} is on its partition`);
          assert.match(s.labels, /service_name="/, 'service_name discovered');
        }
      }
      const lines = records.flatMap((r) => r.req.streams.flatMap((s) => s.entries.map((e) => Buffer.from(e.line).toString()))).sort();
      if (tenant.startsWith('t-loki')) {
        const want = loki.streams.flatMap((s) => s.entries.map((e) => Buffer.from(e.line).toString())).sort();
        assert.deepEqual(lines, want, `${tenant}: every pushed line, once`);
        const withMeta = records.flatMap((r) => r.req.streams.flatMap((s) => s.entries)).find((e) => Buffer.from(e.line).toString().includes('request done'));
        assert.ok(withMeta?.structuredMetadata.some((l) => l.name === 'trace_id' && l.value === '0242ac120002'), 'structured metadata kept');
        assert.ok(withMeta?.structuredMetadata.some((l) => l.name === 'detected_level' && l.value === 'info'), 'detected_level added');
      } else {
        assert.deepEqual(lines, ['Example log record'], `${tenant}: the OTLP record body`);
      }
    }
  });
}

for (const backend of backends) {
  test(`${backend.name}: OTLP bodies in lz4 frames, as the lz4 tool writes them, land whole; a corrupt one gets 400`, async (t) => {
    const { fjord, read } = await backend.start(t);
    const want = Array.from({ length: 1000 }, (_, i) => `record ${i} level=${i % 7 ? 'info' : 'error'} msg="request served" path=/api/v${i % 13}/items/${(i * 7919) % 10007} took=${(i * 37) % 1000}ms`);
    const headers = { 'content-type': 'application/json', 'content-encoding': 'lz4' };
    for (const name of ['otlp-default.json.lz4', 'otlp-linked.json.lz4']) {
      const body = readFileSync(fixturePath(`push/${name}`));
      const res = await send(fjord, { name, path: '/otlp/v1/logs', headers, body }, `t-${name.replace(/[^a-z0-9]+/g, '-')}`);
      assert.equal(res.status, 204, `${name}: ${res.status}`);
    }
    const corrupt = await send(fjord, { name: 'corrupt', path: '/otlp/v1/logs', headers, body: Buffer.from('not lz4 at all') }, 't-corrupt');
    assert.equal(corrupt.status, 400);
    const lines = new Map<string, string[]>();
    for (const records of await read()) {
      for (const r of records) {
        const { tenant, request } = decodeRecord(r);
        for (const s of request.streams) lines.set(tenant, [...(lines.get(tenant) ?? []), ...s.entries.map((e) => Buffer.from(e.line).toString())]);
      }
    }
    assert.deepEqual([...lines.keys()].sort(), ['t-otlp-default-json-lz4', 't-otlp-linked-json-lz4']);
    for (const got of lines.values()) assert.deepEqual(got.sort(), [...want].sort());
  });
}
