import { EmbeddedLog } from '../../platform/log/embedded/embedded-log.js';
import { silentLogger } from '../../platform/logger.js';
import { tempDir } from '../helpers/env.js';
import { partitionLogContract } from './partitioned-log.contract.js';

partitionLogContract('embedded log', async (t, partitions) => {
  const log = new EmbeddedLog(
    {
      directory: await tempDir(t), topic: 'fjord.logs', autoCreatePartitions: partitions, fsync: 'interval',
      fsyncIntervalMs: 1000, segmentSizeBytes: 64 * 1024 * 1024, retentionMs: 0, maxRecordBytes: 1_000_000,
    },
    silentLogger(),
  );
  await log.start();
  t.after(() => log.stop());
  return log;
});
