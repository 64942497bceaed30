/**
 * Child process for the embedded-log crash test: opens the log in argv[2] and produces as fast as
 * it can from several concurrent producers, printing `ack <partition> <offset> <value>` for every
 * record whose produce call returned. The test kills it with SIGKILL mid-burst.
 */
import { EmbeddedLog } from '../../platform/log/index.js';
import { silentLogger } from '../../platform/logger.js';

const [dir, segmentSize] = process.argv.slice(2);
const log = new EmbeddedLog(
  {
    directory: dir as string, topic: 'crash', autoCreatePartitions: 2, fsync: 'interval', fsyncIntervalMs: 1000,
    segmentSizeBytes: Number(segmentSize), retentionMs: 0, maxRecordBytes: 1_000_000,
  },
  silentLogger(),
);
await log.start();
process.stdout.write('started\n');
const producers = 8;
await Promise.all(
  Array.from({ length: producers }, async (_, w) => {
    for (let seq = 0; ; seq++) {
      const partition = (w + seq) % 2;
      const values = [0, 1, 2].map((i) => `w${w}-s${seq}-${i}-${'x'.repeat((seq * 7 + i) % 300)}`);
      const offsets = await log.produce(partition, values.map((v) => ({ value: Buffer.from(v) })));
      process.stdout.write(offsets.map((o, i) => `ack ${partition} ${o} ${values[i]}\n`).join(''));
    }
  }),
);
