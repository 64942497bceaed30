/**
 * A record the ingester cannot decode or append goes to the dead-letter topic
 * (kafka_config.dead_letter_topic) with the error and its source partition/offset in headers, or,
 * with no such topic or when producing to it fails, is counted and skipped.
 */
import { errorMessage } from '../../schemas/index.js';
import type { LogRecord, Logger, PartitionLog } from '../../platform/index.js';
import type { IngesterMetrics } from './metrics.js';

/** Dead-letter `rec`, which failed with `err`; never throws. */
export async function deadLetter(dlq: PartitionLog | null, metrics: IngesterMetrics, logger: Logger, rec: LogRecord, err: unknown): Promise<void> {
  const why = errorMessage(err);
  if (!dlq) {
    metrics.malformedRecords.inc({ action: 'skipped' });
    logger.warn({ partition: rec.partition, offset: rec.offset, err: why }, 'skipped a record that cannot be decoded');
    return;
  }
  try {
    await dlq.produce(0, [{ key: rec.key, value: rec.value, headers: { ...rec.headers, 'fjord-error': Buffer.from(why), 'fjord-source': Buffer.from(`${rec.partition}/${rec.offset}`) } }]);
    metrics.malformedRecords.inc({ action: 'dead_lettered' });
  } catch (dlqErr) {
    metrics.malformedRecords.inc({ action: 'skipped' });
    logger.error({ partition: rec.partition, offset: rec.offset, err: errorMessage(dlqErr) }, 'could not dead-letter a malformed record; skipped it');
  }
}
