import { KafkaLog } from '../../platform/log/kafka-log.js';
import { silentLogger } from '../../platform/logger.js';
import { kafkaBrokers, uniqueName } from '../helpers/env.js';
import { partitionLogContract } from './partitioned-log.contract.js';

partitionLogContract('kafka log (real broker)', async (t, partitions) => {
  const log = new KafkaLog(
    {
      brokers: kafkaBrokers(), dialTimeoutMs: 2000, requestTimeoutMs: 30_000, sasl: null,
      topic: uniqueName('fjord-test'), clientId: 'fjord-test', writeTimeoutMs: 10_000,
      autoCreatePartitions: partitions, maxRecordBytes: 15_983_616, maxBufferedBytes: 64 * 1024 * 1024, compression: 'none', sessionTimeoutMs: 30_000,
    },
    silentLogger(),
  );
  await log.start(new AbortController().signal);
  t.after(() => log.stop());
  return log;
});
