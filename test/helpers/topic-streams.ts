/**
 * Reads a topic back as a test sees it: every stream of every record, from each partition's start
 * to its end offset at the time of the call, on Kafka or on an embedded log's directory.
 */
import { decodeRecord, type PushStream } from '../../schemas/record/index.js';
import { EmbeddedLog, createPartitionLog, silentLogger, type PartitionLog } from '../../platform/index.js';
import { testConfig } from './config.js';

type Visit = (s: PushStream, tenant: string) => void;

/** Call `visit` with each stream of each record in `topic` on `brokers`. */
export async function eachStreamInTopic(brokers: readonly string[], topic: string, visit: Visit): Promise<void> {
  const log = createPartitionLog(testConfig({ kafka_config: { address: [...brokers], topic, auto_create_topic_enabled: false } }), silentLogger());
  await log.start(new AbortController().signal);
  await eachStreamIn(log, visit);
}

/** Every line of the embedded log kept in `directory` (the process that wrote it stopped), as `tenant labels line`, sorted. */
export async function embeddedLogLines(directory: string): Promise<string[]> {
  const log = new EmbeddedLog(
    { directory, topic: 'fjord.logs', autoCreatePartitions: null, fsync: 'interval', fsyncIntervalMs: 1000, segmentSizeBytes: 1 << 26, retentionMs: 0, maxRecordBytes: 1 << 24 },
    silentLogger(),
  );
  await log.start();
  const lines: string[] = [];
  await eachStreamIn(log, (s, tenant) => {
    for (const e of s.entries) lines.push(`${tenant} ${s.labels} ${Buffer.from(e.line).toString()}`);
  });
  return lines.sort();
}

async function eachStreamIn(log: PartitionLog, visit: Visit): Promise<void> {
  try {
    for (const o of await log.offsets()) {
      if (o.end <= o.start) continue;
      const stop = new AbortController();
      for await (const batch of log.read(o.partition, o.start, stop.signal)) {
        for (const rec of batch) {
          const { tenant, request } = decodeRecord(rec);
          for (const s of request.streams) visit(s, tenant);
        }
        if ((batch[batch.length - 1]?.offset ?? -1) >= o.end - 1) break;
      }
      stop.abort();
    }
  } finally {
    await log.stop();
  }
}
