/** Checks that span several fields; each problem is one line naming the keys. Pure. */
import type { FjordConfig } from './tree.js';

/** Problems with a built config that single-field parsing cannot see. */
export function validateConfig(cfg: FjordConfig): string[] {
  const errors: string[] = [];
  const k = cfg.kafka_config;
  if ((k.sasl_username === '') !== (k.sasl_password === '')) {
    errors.push('kafka_config.sasl_username and kafka_config.sasl_password: set both or neither');
  }
  if (k.address.some((a) => !/^[^:\s]+:\d+$/.test(a))) {
    errors.push(`kafka_config.address: ${JSON.stringify(k.address.join(','))} is not a list of host:port`);
  }
  if (k.topic === '') errors.push('kafka_config.topic: must not be empty');
  const s3 = cfg.common.storage.s3;
  if (s3.endpoint !== '' && s3.bucketnames === '') {
    errors.push('common.storage.s3.bucketnames: must be set when common.storage.s3.endpoint is');
  }
  if (s3.bucketnames.includes(',')) {
    errors.push(`common.storage.s3.bucketnames: ${JSON.stringify(s3.bucketnames)} names several buckets; Fjord uses one`);
  }
  const ing = cfg.ingester;
  if (ing.chunk_block_size > ing.chunk_target_size * 64) {
    errors.push('ingester.chunk_block_size: must not be more than 64 times ingester.chunk_target_size');
  }
  if (!/^[A-Za-z0-9_.-]+$/.test(ing.availability_zone)) {
    errors.push(`ingester.availability_zone: ${JSON.stringify(ing.availability_zone)} may hold only letters, digits, '_', '.', '-'`);
  }
  if (cfg.limits_config.ingestion_burst_size_mb < cfg.limits_config.ingestion_rate_mb / 1e3) {
    errors.push('limits_config.ingestion_burst_size_mb: too small for the ingestion rate');
  }
  return errors;
}
