/** A FjordConfig built the way the process builds it, from a YAML-shaped object of overrides. */
import { buildConfig, type FjordConfig } from '../../schemas/config/index.js';
import { s3Settings } from './env.js';

/** The effective config for `file` (a YAML-shaped object), with no flags. */
export function testConfig(file: Record<string, unknown> = {}): FjordConfig {
  return buildConfig({ file, flags: [] });
}

/** The `common.storage.s3` block pointing at the real S3 server and `bucket`. */
export function s3Block(bucket: string): Record<string, unknown> {
  const s = s3Settings();
  return {
    endpoint: s.endpoint,
    region: s.region,
    bucketnames: bucket,
    access_key_id: s.accessKeyId,
    secret_access_key: s.secretAccessKey,
    s3forcepathstyle: true,
  };
}
