/** Choosing the object store from config: S3 when `common.storage.s3.bucketnames` is set, else the filesystem. */
import { join } from 'node:path';
import type { Registry } from 'prom-client';
import type { FjordConfig } from '../../schemas/config/index.js';
import type { Logger } from '../logger.js';
import { FilesystemStore } from './fs-store.js';
import type { ObjectStore } from './object-store.js';
import { s3Metrics } from './s3-metrics.js';
import { S3Store } from './s3-store.js';

/** The object store the config asks for (not started); its metrics go to `registry` when one is given. */
export function createObjectStore(cfg: FjordConfig, logger: Logger, registry: Registry | null = null): ObjectStore {
  const s3 = cfg.common.storage.s3;
  if (s3.bucketnames !== '') return new S3Store(s3, logger.child({ component: 'object-store' }), registry === null ? null : s3Metrics(registry));
  return new FilesystemStore(cfg.common.storage.filesystem.chunks_directory || join(cfg.common.path_prefix, 'store'));
}
