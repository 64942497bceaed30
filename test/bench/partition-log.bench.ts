/**
 * Partitioned log throughput: produce and consume MB/s and records/s on the embedded log and on
 * the real Kafka broker, beside raw zstd compression of the same bytes.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedLog, KafkaLog, type PartitionLog, type ProduceRecord } from '../../platform/log/index.js';
import { silentLogger } from '../../platform/logger.js';
import { uniqueName } from '../helpers/env.js';
import { corpusLines } from './corpus.js';
import { rate, type BenchFigure, type BenchSuite } from './harness.js';
import { zstdCompressReference } from './reference.js';

const RECORD_BYTES = 16 * 1024;
const RECORDS = 4096;
const PARTITIONS = 4;
const CONCURRENCY = 16;
const PER_CALL = 4;

function makeRecords(): ProduceRecord[] {
  const text = Buffer.from(corpusLines(40_000).join('\n'));
  return Array.from({ length: RECORDS }, (_, i) => {
    const start = (i * 977) % (text.length - RECORD_BYTES);
    return { value: text.subarray(start, start + RECORD_BYTES), headers: { tenant: Buffer.from('bench') } };
  });
}

async function produceAll(log: PartitionLog, records: readonly ProduceRecord[]): Promise<number> {
  const t0 = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < records.length) {
        const i = next;
        next += PER_CALL;
        await log.produce((i / PER_CALL) % PARTITIONS, records.slice(i, i + PER_CALL));
      }
    }),
  );
  return (performance.now() - t0) / 1000;
}

async function consumeAll(log: PartitionLog): Promise<{ seconds: number; records: number; bytes: number }> {
  const t0 = performance.now();
  let records = 0;
  let bytes = 0;
  for (const { partition, end } of await log.offsets()) {
    const ac = new AbortController();
    let seen = 0;
    for await (const batch of log.read(partition, 0, ac.signal)) {
      for (const r of batch) bytes += r.value.length;
      seen += batch.length;
      if (seen >= end) break;
    }
    ac.abort();
    records += seen;
  }
  return { seconds: (performance.now() - t0) / 1000, records, bytes };
}

async function measure(name: string, log: PartitionLog, records: readonly ProduceRecord[], reference: BenchFigure['reference']): Promise<BenchFigure[]> {
  const bytes = records.reduce((n, r) => n + r.value.length, 0);
  const produceS = await produceAll(log, records);
  const consumed = await consumeAll(log);
  if (consumed.records !== records.length) throw new Error(`${name}: consumed ${consumed.records} of ${records.length}`);
  return [
    { name: `${name} produce`, figure: rate('produce', bytes / 1e6 / produceS, 'MB/s'), reference, note: `${Math.round(records.length / produceS)} records/s of ${RECORD_BYTES} B, ${CONCURRENCY} concurrent calls` },
    { name: `${name} consume`, figure: rate('consume', consumed.bytes / 1e6 / consumed.seconds, 'MB/s'), reference, note: `${Math.round(consumed.records / consumed.seconds)} records/s` },
  ];
}

export const suite: BenchSuite = {
  name: 'partitioned log',
  needsServices: true,
  async run() {
    const records = makeRecords();
    const reference = await zstdCompressReference(Buffer.concat(records.slice(0, 256).map((r) => r.value)));
    const dir = await mkdtemp(join(tmpdir(), 'fjord-bench-'));
    const embedded = new EmbeddedLog(
      { directory: dir, topic: 'bench', autoCreatePartitions: PARTITIONS, fsync: 'interval', fsyncIntervalMs: 1000,
        segmentSizeBytes: 64 * 1024 * 1024, retentionMs: 0, maxRecordBytes: 1_000_000 },
      silentLogger(),
    );
    await embedded.start();
    const out = await measure('embedded log', embedded, records, reference);
    await embedded.stop();
    await rm(dir, { recursive: true, force: true });
    const kafka = new KafkaLog(
      { brokers: (process.env.KAFKA_BROKERS ?? '').split(','), dialTimeoutMs: 2000, requestTimeoutMs: 30_000, sasl: null,
        topic: uniqueName('fjord-bench'), clientId: 'fjord-bench', writeTimeoutMs: 30_000, autoCreatePartitions: PARTITIONS,
        maxRecordBytes: 15_983_616, maxBufferedBytes: 1 << 30, compression: 'none', sessionTimeoutMs: 30_000 },
      silentLogger(),
    );
    await kafka.start(new AbortController().signal);
    out.push(...(await measure('kafka (kafkajs)', kafka, records, reference)));
    await kafka.stop();
    return out;
  },
};
