/**
 * Reading one partition from an offset with kafkajs, which has no group-less consumer: a member of
 * a throwaway group (never committing) pauses every other partition and seeks to the offset.
 * Records are handed over one batch at a time, so a slow reader holds back the fetches.
 */
import { randomBytes } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import { headersToBytes } from './kafka-client.js';
import type { KafkaClientMetrics } from './kafka-metrics.js';
import type { LogRecord } from './partitioned-log.js';

/** Batches of `partition` from `fromOffset` on, until `signal` aborts. */
export async function* readKafkaPartition(
  kafka: Kafka,
  topic: string,
  partitionCount: number,
  partition: number,
  fromOffset: number,
  signal: AbortSignal,
  metrics: KafkaClientMetrics | null = null,
): AsyncIterable<readonly LogRecord[]> {
  const consumer = kafka.consumer({
    groupId: `fjord-reader-${randomBytes(6).toString('hex')}`,
    maxWaitTimeInMs: 250,
    maxBytesPerPartition: 16 * 1024 * 1024,
    allowAutoTopicCreation: false,
  });
  let slot: { records: LogRecord[]; taken: () => void } | null = null;
  let handedOut: (() => void) | null = null;
  let wake: () => void = () => undefined;
  let next = fromOffset;
  const others = Array.from({ length: partitionCount }, (_, p) => p).filter((p) => p !== partition);
  consumer.on(consumer.events.GROUP_JOIN, () => {
    if (others.length > 0) consumer.pause([{ topic, partitions: others }]);
    consumer.seek({ topic, partition, offset: String(next) });
  });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        if (batch.partition !== partition) return;
        metrics?.fetched(batch.messages.length);
        const records: LogRecord[] = [];
        for (const m of batch.messages) {
          const offset = Number(m.offset);
          if (offset < next) continue;
          records.push({
            partition, offset, timestampMs: Number(m.timestamp), key: m.key ?? null,
            value: m.value ?? new Uint8Array(0), headers: headersToBytes(m.headers),
          });
          next = offset + 1;
        }
        if (records.length === 0 || signal.aborted) return;
        await new Promise<void>((taken) => {
          slot = { records, taken };
          wake();
        });
      },
    });
    while (!signal.aborted) {
      if (!slot) {
        await new Promise<void>((r) => {
          wake = r;
          signal.addEventListener('abort', () => r(), { once: true });
        });
        continue;
      }
      const { records, taken } = slot as { records: LogRecord[]; taken: () => void };
      slot = null;
      handedOut = taken;
      yield records;
      handedOut = null;
      taken();
    }
  } finally {
    (handedOut as (() => void) | null)?.();
    (slot as { taken: () => void } | null)?.taken();
    await consumer.disconnect();
  }
}
