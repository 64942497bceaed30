/**
 * The log and the store as the operator subcommands open them: from the same config as the
 * server, never creating the topic, and giving up (with a one-line reason) when Kafka or the store cannot
 * be reached within START_TIMEOUT_MS rather than retrying for ever as a server does.
 */
import { FjordError, errorMessage } from '../../schemas/index.js';
import type { FjordConfig } from '../../schemas/config/index.js';
import { createPartitionLog, type PartitionLog } from '../log/index.js';
import { createObjectStore, type ObjectStore } from '../store/index.js';
import type { Logger } from '../logger.js';

const START_TIMEOUT_MS = 30_000;

/** The config's partitioned log, started; the topic must exist. */
export async function openCommandLog(cfg: FjordConfig, logger: Logger, signal: AbortSignal): Promise<PartitionLog> {
  const log = createPartitionLog({ ...cfg, kafka_config: { ...cfg.kafka_config, auto_create_topic_enabled: false } }, logger);
  const timeout = AbortSignal.timeout(START_TIMEOUT_MS);
  try {
    await log.start(AbortSignal.any([signal, timeout]));
  } catch (err) {
    await log.stop().catch(() => undefined);
    if (timeout.aborted) {
      throw new FjordError('log_unavailable', `cannot reach Kafka at ${cfg.kafka_config.address.join(',')} within ${START_TIMEOUT_MS / 1000}s`, { cause: err });
    }
    if (err instanceof FjordError && err.code === 'log_unavailable' && /does not exist/.test(err.message)) {
      throw new FjordError('log_unavailable', `topic ${cfg.kafka_config.topic} does not exist`, { cause: err });
    }
    if (err instanceof FjordError && err.code === 'log_unavailable' && /is in use by process/.test(err.message)) {
      // The embedded log belongs to one process at a time: the command runs while the server is stopped.
      throw new FjordError('log_unavailable', `${err.message}; stop that fjord process first`, { cause: err });
    }
    throw err;
  }
  return log;
}

/** The config's object store, started. */
export async function openCommandStore(cfg: FjordConfig, logger: Logger, signal: AbortSignal): Promise<ObjectStore> {
  const store = createObjectStore(cfg, logger);
  const timeout = AbortSignal.timeout(START_TIMEOUT_MS);
  try {
    await store.start(AbortSignal.any([signal, timeout]));
  } catch (err) {
    await store.stop().catch(() => undefined);
    const s3 = cfg.common.storage.s3;
    if (timeout.aborted) throw new FjordError('object_store_unavailable', `cannot reach bucket ${s3.bucketnames} at ${s3.endpoint || 'AWS'} within ${START_TIMEOUT_MS / 1000}s`, { cause: err });
    throw new FjordError('object_store_unavailable', `cannot open the object store: ${errorMessage(err)}`, { cause: err });
  }
  return store;
}
