/** Checks that span several fields; each problem is one line naming the keys. Pure. */
import { formatGoDuration } from '../go/index.js';
import type { FjordConfig } from './tree.js';

/** A duration as Go's %v prints it (`3h0m0s`), for Loki's messages. */
function goDuration(ms: number): string {
  return formatGoDuration(BigInt(ms) * 1_000_000n);
}

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
  if (k.consumer_heartbeat_interval >= k.consumer_session_timeout) {
    errors.push('kafka_config.consumer_heartbeat_interval: must be below kafka_config.consumer_session_timeout');
  }
  if (cfg.limits_config.ingestion_burst_size_mb < cfg.limits_config.ingestion_rate_mb / 1e3) {
    errors.push('limits_config.ingestion_burst_size_mb: too small for the ingestion rate');
  }
  const pi = cfg.pattern_ingester;
  if (pi.retain_for < pi.max_chunk_age) {
    errors.push(`pattern_ingester.retain_for: retain-for (${goDuration(pi.retain_for)}) must be greater than or equal to chunk-duration (${goDuration(pi.max_chunk_age)})`);
  }
  if (pi.max_chunk_age < pi.pattern_sample_interval) {
    errors.push(`pattern_ingester.max_chunk_age: chunk-duration (${goDuration(pi.max_chunk_age)}) must be greater than or equal to sample-interval (${goDuration(pi.pattern_sample_interval)})`);
  }
  errors.push(...validateRuler(cfg.ruler));
  errors.push(...validateRulerStorage(cfg.ruler_storage, cfg.ruler.storage.type));
  return errors;
}

function validateRulerStorage(rs: FjordConfig['ruler_storage'], legacyType: string): string[] {
  const errors: string[] = [];
  if (rs.backend !== '' && legacyType !== '') errors.push('ruler_storage.backend and ruler.storage.type: set one of them');
  if (!/^[A-Za-z0-9-]*$/.test(rs.storage_prefix)) {
    errors.push('ruler_storage.storage_prefix: storage prefix contains invalid characters, it may only contain digits, English alphabet letters and dashes');
  }
  if (rs.backend === 'local' && rs.local.directory === '') errors.push('ruler_storage.local.directory: directory required for local rules config');
  if (rs.backend === 'filesystem' && rs.filesystem.dir === '') errors.push('ruler_storage.filesystem.dir: must be set when ruler_storage.backend is filesystem');
  if (rs.backend === 's3' && rs.s3.bucket_name === '') errors.push('ruler_storage.s3.bucket_name: must be set when ruler_storage.backend is s3');
  return errors;
}

function validateRuler(r: FjordConfig['ruler']): string[] {
  const errors: string[] = [];
  if (!r.enable_alertmanager_v2) {
    errors.push('ruler.enable_alertmanager_v2: Alertmanager API v1 is not supported (Alertmanager removed it in 0.27.0)');
  }
  for (const url of r.alertmanager_url.split(',').map((u) => u.trim()).filter((u) => u !== '')) {
    if (!/^https?:\/\/[^/\s]+/.test(url)) errors.push(`ruler.alertmanager_url: ${JSON.stringify(url)} is not an http(s) URL`);
  }
  if (r.storage.type === 'local' && r.storage.local.directory === '') {
    errors.push('ruler.storage.local.directory: directory required for local rules config');
  }
  if (r.storage.type === 's3' && r.storage.s3.bucketnames === '') {
    errors.push('ruler.storage.s3.bucketnames: must be set when ruler.storage.type is s3');
  }
  if (r.evaluation.mode === 'remote' && r.evaluation.query_frontend.address === '') {
    errors.push('ruler.evaluation.query_frontend.address: must be set when ruler.evaluation.mode is remote');
  }
  if (r.wal.min_age > r.wal.max_age) errors.push('ruler.wal.min_age: min_wal_time must be less than max_wal_time');
  if (r.remote_write.enabled) {
    const clients = Object.entries(r.remote_write.clients);
    if (clients.length === 0) errors.push('ruler.remote_write.clients: remote-write enabled but no clients are configured');
    for (const [id, c] of clients) {
      if (c.url === '') errors.push(`ruler.remote_write.clients.${id}.url: remote-write enabled but client '${id}' URL is not configured`);
      else if (!/^https?:\/\/[^/\s]+/.test(c.url)) errors.push(`ruler.remote_write.clients.${id}.url: ${JSON.stringify(c.url)} is not an http(s) URL`);
    }
  }
  return errors;
}
