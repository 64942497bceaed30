/**
 * The two backend pairs integration tests run on: real Kafka with the real S3 server, and the
 * embedded log with the filesystem store. Each gives a fresh topic, bucket and data directory.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { stringify } from 'yaml';
import type { FjordConfig } from '../../schemas/config/index.js';
import {
  createObjectStore, createPartitionLog, silentLogger, type ObjectStore, type PartitionLog,
} from '../../platform/index.js';
import { s3Block, testConfig } from './config.js';
import { kafkaBrokers, onCleanup, tempDir, uniqueName } from './env.js';
import { freshBucket } from './s3-bucket.js';

/** A backend pair. */
export interface TestBackend {
  readonly name: string;
  /** A YAML-shaped config selecting fresh resources of this backend, with `extra` merged in. */
  config(t: TestContext, extra?: Record<string, unknown>): Promise<Record<string, unknown>>;
}

function merge(base: Record<string, unknown>, extra: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(extra)) {
    const b = out[k];
    out[k] = typeof b === 'object' && b !== null && !Array.isArray(b) && typeof v === 'object' && v !== null && !Array.isArray(v)
      ? merge(b as Record<string, unknown>, v as Record<string, unknown>)
      : v;
  }
  return out;
}

/** Both backend pairs. */
export const BACKENDS: readonly TestBackend[] = [
  {
    name: 'kafka+s3',
    async config(t, extra = {}) {
      const dir = await tempDir(t);
      const bucket = await freshBucket(t);
      return merge({
        // a group prefix of its own: files run two at a time on one broker, and members of one group on
        // different topics would take each other's partitions (the leader assigns only its own topics)
        kafka_config: { address: kafkaBrokers(), topic: uniqueName('fjord-test'), consumer_group: uniqueName('fjord-test'), auto_create_topic_default_partitions: 2 },
        common: { path_prefix: dir, storage: { s3: s3Block(bucket) } },
      }, extra);
    },
  },
  {
    name: 'embedded+filesystem',
    async config(t, extra = {}) {
      const dir = await tempDir(t);
      return merge({ kafka_config: { topic: uniqueName('fjord-test'), embedded: { partitions: 2 } }, common: { path_prefix: dir } }, extra);
    },
  },
];

/** The built config. */
export function built(file: Record<string, unknown>): FjordConfig {
  return testConfig(file);
}

/** The object store of a config, started; stopped when the test ends. */
export async function startedStore(t: TestContext, cfg: FjordConfig): Promise<ObjectStore> {
  const store = createObjectStore(cfg, silentLogger());
  await store.start(new AbortController().signal);
  onCleanup(t, () => store.stop());
  return store;
}

/** The partitioned log of a config, started; stopped when the test ends. */
export async function startedLog(t: TestContext, cfg: FjordConfig): Promise<PartitionLog> {
  const log = createPartitionLog(cfg, silentLogger());
  await log.start(new AbortController().signal);
  onCleanup(t, () => log.stop());
  return log;
}

/** Write `file` as YAML into the config's data directory; returns its path. */
export async function writeConfigFile(file: Record<string, unknown>): Promise<string> {
  const dir = (file.common as { path_prefix: string }).path_prefix;
  const path = join(dir, 'fjord.yaml');
  await writeFile(path, stringify(file));
  return path;
}
