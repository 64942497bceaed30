/**
 * `kafka_config:` — the partitioned log. Loki's keys where Loki has them (`L:pkg/kafka/config.go`).
 * With no `address` Fjord uses its embedded log under `common.path_prefix`.
 */
import type { SectionSpec } from './field.js';

const embeddedSection = {
  fields: [
    { key: 'directory', flag: 'kafka.embedded.directory', kind: 'string', default: '',
      help: 'Directory of the embedded log; empty means <path_prefix>/log.' },
    { key: 'partitions', flag: 'kafka.embedded.partitions', kind: 'int', default: 4, min: 1,
      help: 'Partitions of the embedded log topic.' },
    { key: 'fsync', flag: 'kafka.embedded.fsync', kind: 'enum', values: ['always', 'interval'], default: 'interval',
      help: 'always: fsync before a produce returns; interval: fsync every fsync_interval (a process crash loses nothing either way; a power loss may lose the last interval).' },
    { key: 'fsync_interval', flag: 'kafka.embedded.fsync-interval', kind: 'duration', default: '1s', min: 1,
      help: 'How often the embedded log is fsynced when fsync is interval.' },
    { key: 'segment_size', flag: 'kafka.embedded.segment-size', kind: 'bytes', default: '64MB', min: 1024,
      help: 'Size at which the embedded log starts a new segment file.' },
    { key: 'retention_period', flag: 'kafka.embedded.retention-period', kind: 'duration', default: '168h',
      help: 'Segments whose newest record is older than this are deleted; 0 keeps everything.' },
  ],
} as const satisfies SectionSpec;

export const kafkaSection = {
  fields: [
    { key: 'address', flag: 'kafka.address', kind: 'list', default: [],
      help: 'Kafka bootstrap brokers, comma-separated host:port. Empty uses the embedded log.' },
    { key: 'topic', flag: 'kafka.topic', kind: 'string', default: 'fjord.logs',
      help: 'Topic that carries pushed streams.' },
    { key: 'client_id', flag: 'kafka.client-id', kind: 'string', default: 'fjord',
      help: 'Kafka client id of producers and admin clients.' },
    { key: 'dial_timeout', flag: 'kafka.dial-timeout', kind: 'duration', default: '2s', min: 1,
      help: 'Maximum time to wait for a broker connection.' },
    { key: 'write_timeout', flag: 'kafka.write-timeout', kind: 'duration', default: '10s', min: 1,
      help: 'Maximum time a produce may take before the push fails.' },
    { key: 'sasl_username', flag: 'kafka.sasl-username', kind: 'string', default: '',
      help: 'SASL PLAIN username; set with sasl_password.' },
    { key: 'sasl_password', flag: 'kafka.sasl-password', kind: 'string', default: '', secret: true,
      help: 'SASL PLAIN password.' },
    { key: 'consumer_group', flag: 'kafka.consumer-group', kind: 'string', default: 'fjord',
      help: 'Prefix of the consumer groups: ingesters join <prefix>-ingester-<zone>, compactors <prefix>-compactor. Clusters sharing a Kafka cluster need different prefixes.' },
    { key: 'consumer_group_offset_commit_interval', flag: 'kafka.consumer-group-offset-commit-interval', kind: 'duration',
      default: '1s', min: 1, help: 'How often durable offsets are committed.' },
    { key: 'auto_create_topic_enabled', flag: 'kafka.auto-create-topic-enabled', kind: 'bool', default: true,
      help: 'Create the topic at start-up when it does not exist.' },
    { key: 'auto_create_topic_default_partitions', flag: 'kafka.auto-create-topic-default-partitions', kind: 'int',
      default: 16, min: 1, help: 'Partitions of an auto-created topic.' },
    { key: 'producer_max_record_size_bytes', flag: 'kafka.producer-max-record-size-bytes', kind: 'int',
      default: 15_983_616, min: 1_048_576,
      help: 'Records are split below this size (and below the topic\'s max.message.bytes).' },
    { key: 'producer_max_buffered_bytes', flag: 'kafka.producer-max-buffered-bytes', kind: 'int',
      default: 1_073_741_824, min: 1, help: 'Bytes in flight to the log; a push past it waits, then fails with 503.' },
    { key: 'producer_compression', flag: 'kafka.producer-compression', kind: 'enum', values: ['none', 'gzip'],
      default: 'none', help: 'Compression of produced record batches.' },
    { key: 'consumer_session_timeout', flag: 'kafka.consumer-session-timeout', kind: 'duration', default: '30s', min: 6000,
      help: 'How long a consumer group member may go without a heartbeat before its partitions move to another member.' },
    { key: 'consumer_heartbeat_interval', flag: 'kafka.consumer-heartbeat-interval', kind: 'duration', default: '3s', min: 100,
      help: 'How often a consumer group member heartbeats; keep it under a third of the session timeout.' },
    { key: 'dead_letter_topic', flag: 'kafka.dead-letter-topic', kind: 'string', default: '',
      help: 'Topic that receives records ingesters cannot decode; empty counts and skips them.' },
    { key: 'max_consumer_lag_at_startup', flag: 'kafka.max-consumer-lag-at-startup', kind: 'duration', default: '15s',
      help: 'An ingester is not ready until it has replayed to within this lag of the partition end.' },
  ],
  sections: { embedded: embeddedSection },
} as const satisfies SectionSpec;
