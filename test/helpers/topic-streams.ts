/**
 * Reads a topic back as a test sees it: every stream of every record, from each partition's start
 * to its end offset at the time of the call.
 */
import { decodeRecord, type PushStream } from '../../schemas/record/index.js';
import { createPartitionLog, silentLogger } from '../../platform/index.js';
import { testConfig } from './config.js';

/** Call `visit` with each stream of each record in `topic` on `brokers`. */
export async function eachStreamInTopic(brokers: readonly string[], topic: string, visit: (s: PushStream) => void): Promise<void> {
  const log = createPartitionLog(testConfig({ kafka_config: { address: [...brokers], topic, auto_create_topic_enabled: false } }), silentLogger());
  await log.start(new AbortController().signal);
  try {
    for (const o of await log.offsets()) {
      if (o.end <= o.start) continue;
      const stop = new AbortController();
      for await (const batch of log.read(o.partition, o.start, stop.signal)) {
        for (const rec of batch) for (const s of decodeRecord(rec).request.streams) visit(s);
        if ((batch[batch.length - 1]?.offset ?? -1) >= o.end - 1) break;
      }
      stop.abort();
    }
  } finally {
    await log.stop();
  }
}
