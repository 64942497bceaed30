/**
 * The Kafka and S3 adapters export Loki's client metrics: `loki_s3_request_duration_seconds`
 * per operation and status code against the real S3 server, and `loki_kafka_client_*` for produces
 * and partition reads against the real Kafka broker.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Registry } from 'prom-client';
import { createObjectStore, createPartitionLog, silentLogger } from '../../platform/index.js';
import { BACKENDS, built } from '../helpers/backends.js';

const kafkaS3 = BACKENDS.find((b) => b.name === 'kafka+s3');

/** The samples of `name` in the registry's text exposition, keyed by their label text. */
async function samples(registry: Registry, name: string): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const line of (await registry.metrics()).split('\n')) {
    const m = /^([a-zA-Z0-9_:]+)(\{[^}]*\})? (\S+)$/.exec(line);
    if (m !== null && m[1] === name) out[m[2] ?? ''] = Number(m[3]);
  }
  return out;
}

test('S3 requests are timed by Loki operation and status code', async (t) => {
  const cfg = built(await (kafkaS3 as NonNullable<typeof kafkaS3>).config(t));
  const registry = new Registry();
  const store = createObjectStore(cfg, silentLogger(), registry);
  await store.start(new AbortController().signal);
  t.after(() => store.stop());
  await store.put('fjord-metrics/a', new Uint8Array([1, 2, 3]));
  await store.get('fjord-metrics/a');
  await assert.rejects(store.get('fjord-metrics/missing'));
  await store.head('fjord-metrics/a');
  await store.listPage('fjord-metrics/');
  await store.delete('fjord-metrics/a');
  assert.deepEqual(await samples(registry, 'loki_s3_request_duration_seconds_count'), {
    '{operation="S3.PutObject",status_code="200"}': 1,
    '{operation="S3.GetObject",status_code="200"}': 1,
    '{operation="S3.GetObject",status_code="500"}': 1,
    '{operation="S3.GetAttributes",status_code="200"}': 1,
    '{operation="S3.List",status_code="200"}': 1,
    '{operation="S3.DeleteObject",status_code="200"}': 1,
  });
});

test('Kafka produces and partition reads are counted with Loki\'s client metrics', async (t) => {
  const cfg = built(await (kafkaS3 as NonNullable<typeof kafkaS3>).config(t));
  const registry = new Registry();
  const log = createPartitionLog(cfg, silentLogger(), registry);
  await log.start(new AbortController().signal);
  t.after(() => log.stop());
  const value = new TextEncoder().encode('record');
  await log.produce(0, [{ key: null, value }, { key: null, value }]);
  await log.produce(1, [{ key: null, value }]);
  assert.deepEqual(await samples(registry, 'loki_kafka_client_produce_requests_total'), { '{component="distributor"}': 3 });
  assert.deepEqual(await samples(registry, 'loki_kafka_client_buffered_produce_bytes_limit'), { '{component="distributor"}': cfg.kafka_config.producer_max_buffered_bytes });
  assert.deepEqual(await samples(registry, 'loki_kafka_client_produce_failures_total'), {});

  const ac = new AbortController();
  let read = 0;
  for await (const batch of log.read(0, 0, ac.signal)) {
    read += batch.length;
    if (read >= 2) break;
  }
  ac.abort();
  assert.ok(((await samples(registry, 'loki_kafka_client_partition_reader_fetches_total'))[''] ?? 0) >= 1, 'at least one fetch counted');
  assert.deepEqual(await samples(registry, 'loki_kafka_client_partition_reader_records_per_fetch_sum'), { '': 2 }, 'the two records of partition 0');
});
