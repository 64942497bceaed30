/**
 * Replay cuts the same chunks however the log hands out its records: two replays of one partition,
 * read in batches of different (random) sizes, store exactly the same chunk keys, with chunks cut
 * for size, for idleness and at the end of the range. Embedded log and filesystem store.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Registry } from 'prom-client';
import { IndexWriter, LevelIndexTable, ingesterMetrics } from '../../consumers/ingester/index.js';
import { Replayer } from '../../consumers/replay/replay.js';
import {
  EmbeddedLog, FilesystemStore, listAll, loadCodecs, silentLogger, type LogRecord, type PartitionLog,
} from '../../platform/index.js';
import { TenantLimits } from '../../schemas/config/index.js';
import { encodeRecordValue, recordKeyAndHeaders } from '../../schemas/record/index.js';
import { seededRandom } from '../helpers/random.js';
import { testConfig } from '../helpers/config.js';
import { tempDir } from '../helpers/env.js';

/** The log, with its batches re-cut into random sizes. */
function rebatched(log: PartitionLog, seed: number): PartitionLog {
  const rand = seededRandom(seed);
  return Object.assign(Object.create(log) as PartitionLog, {
    async *read(partition: number, from: number, signal: AbortSignal): AsyncIterable<readonly LogRecord[]> {
      for await (const batch of log.read(partition, from, signal)) {
        for (let i = 0; i < batch.length; ) {
          const n = 1 + Math.floor(rand() * 50);
          yield batch.slice(i, i + n);
          i += n;
        }
      }
    },
  });
}

test('replaying a partition twice, read in different batches, stores the same chunk keys', async (t) => {
  const dir = await tempDir(t);
  const log = new EmbeddedLog(
    { directory: dir, topic: 'r', autoCreatePartitions: 1, fsync: 'interval', fsyncIntervalMs: 1000, segmentSizeBytes: 1 << 20, retentionMs: 0, maxRecordBytes: 1 << 20 },
    silentLogger(),
  );
  await log.start();
  t.after(() => log.stop());
  const { key, headers } = recordKeyAndHeaders('t');
  const t0 = Date.now() - 3 * 3_600_000;
  const records = [];
  let logMs = t0;
  for (let i = 0; i < 2500; i++) {
    logMs += i === 1200 ? 40 * 60_000 : 700; // one 40-minute silence: idle cuts
    const s = i % 3;
    const ts = BigInt(logMs) * 1_000_000n + BigInt(i);
    const value = encodeRecordValue([{ labels: `{app="a${s}", service_name="a${s}"}`, entries: [{ tsNs: ts, line: Buffer.from(`record ${i} ${'y'.repeat(i % 40)}`), structuredMetadata: [] }] }]);
    records.push({ key, headers, value, timestampMs: logMs });
  }
  for (let i = 0; i < records.length; i += 100) await log.produce(0, records.slice(i, i + 100));

  const cfg = testConfig({ ingester: { chunk_target_size: 2048, chunk_block_size: 1024, chunk_encoding: 'snappy' } });
  const codecs = await loadCodecs();
  const keysOfRun = async (seed: number): Promise<{ keys: string[]; chunks: number; entries: number }> => {
    const store = new FilesystemStore(await tempDir(t));
    await store.start();
    const replayer = new Replayer({
      config: cfg, log: rebatched(log, seed), store, codecs, limits: new TenantLimits(cfg.limits_config), logger: silentLogger(),
      index: new IndexWriter(new LevelIndexTable(await tempDir(t)), store, `replay-${seed}`), metrics: ingesterMetrics(new Registry()),
    });
    const [state] = await replayer.run([{ partition: 0, fromOffset: 0, toOffset: records.length }], () => undefined, new AbortController().signal);
    const keys: string[] = [];
    for await (const o of listAll(store, 't/chunks/')) keys.push(o.key);
    return { keys: keys.sort(), chunks: state?.chunks ?? 0, entries: state?.entries ?? 0 };
  };
  const a = await keysOfRun(1);
  const b = await keysOfRun(2);
  assert.equal(a.entries, 2500);
  assert.ok(a.keys.length >= 10, `chunks cut along the way (${a.keys.length})`);
  assert.equal(a.keys.length, a.chunks);
  assert.deepEqual(b.keys, a.keys);
});
