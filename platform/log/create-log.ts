/** Choosing the partitioned log from config: Kafka when `kafka_config.address` names brokers, else embedded. */
import { join } from 'node:path';
import type { Registry } from 'prom-client';
import type { FjordConfig } from '../../schemas/config/index.js';
import type { Logger } from '../logger.js';
import { EmbeddedLog } from './embedded/embedded-log.js';
import { KafkaLog } from './kafka-log.js';
import { kafkaClientMetrics } from './kafka-metrics.js';
import type { PartitionLog } from './partitioned-log.js';

/** The partitioned log the config asks for (not started); the Kafka client's metrics go to `registry` when one is given. */
export function createPartitionLog(cfg: FjordConfig, logger: Logger, registry: Registry | null = null): PartitionLog {
  const k = cfg.kafka_config;
  const log = logger.child({ component: 'partition-log' });
  if (k.address.length === 0) {
    return new EmbeddedLog(
      {
        directory: k.embedded.directory || join(cfg.common.path_prefix, 'log'),
        topic: k.topic,
        autoCreatePartitions: k.auto_create_topic_enabled ? k.embedded.partitions : null,
        fsync: k.embedded.fsync,
        fsyncIntervalMs: k.embedded.fsync_interval,
        segmentSizeBytes: k.embedded.segment_size,
        retentionMs: k.embedded.retention_period,
        maxRecordBytes: k.producer_max_record_size_bytes,
      },
      log,
    );
  }
  return new KafkaLog(
    {
      brokers: k.address,
      dialTimeoutMs: k.dial_timeout,
      requestTimeoutMs: k.write_timeout,
      sasl: k.sasl_username ? { username: k.sasl_username, password: k.sasl_password } : null,
      topic: k.topic,
      clientId: k.client_id,
      writeTimeoutMs: k.write_timeout,
      autoCreatePartitions: k.auto_create_topic_enabled ? k.auto_create_topic_default_partitions : null,
      maxRecordBytes: k.producer_max_record_size_bytes,
      maxBufferedBytes: k.producer_max_buffered_bytes,
      compression: k.producer_compression,
      sessionTimeoutMs: k.consumer_session_timeout,
      heartbeatIntervalMs: k.consumer_heartbeat_interval,
    },
    log,
    registry === null ? null : kafkaClientMetrics(registry, 'distributor'),
  );
}
