/**
 * The Kafka client's metrics, Loki's names and labels: the producer's
 * `loki_kafka_client_produce_{requests,failures}_total` and `…_buffered_produce_bytes_limit`
 * (pkg/kafka/client/writer_client.go, `component` label as Loki's registerer adds it) and the
 * partition reader's `loki_kafka_client_partition_reader_{fetches_total,records_per_fetch}`
 * (pkg/kafka/partition/reader.go).
 */
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** Why a produce failed, in Loki's words (writer_client.go produceErrReason). */
export type ProduceFailureReason = 'timeout' | 'buffer-full' | 'record-too-large' | 'canceled' | 'other';

/** The Kafka client's instruments for `component` (the one producing: `distributor`), registered on `registry`. */
export function kafkaClientMetrics(registry: Registry, component: string) {
  const produceRequests = new Counter({
    name: 'loki_kafka_client_produce_requests_total',
    help: 'Total number of produce requests issued to Kafka.',
    labelNames: ['component'] as const,
    registers: [registry],
  });
  const produceFailures = new Counter({
    name: 'loki_kafka_client_produce_failures_total',
    help: 'Total number of failed produce requests issued to Kafka.',
    labelNames: ['component', 'reason'] as const,
    registers: [registry],
  });
  const bufferedLimit = new Gauge({
    name: 'loki_kafka_client_buffered_produce_bytes_limit',
    help: 'The bytes limit on buffered produce records. Produce requests fail once this limit is reached.',
    labelNames: ['component'] as const,
    registers: [registry],
  });
  const fetches = new Counter({
    name: 'loki_kafka_client_partition_reader_fetches_total',
    help: 'Total number of Kafka fetches performed.',
    registers: [registry],
  });
  const recordsPerFetch = new Histogram({
    name: 'loki_kafka_client_partition_reader_records_per_fetch',
    help: 'The number of records received in a single fetch operation.',
    buckets: Array.from({ length: 15 }, (_, i) => 2 ** i),
    registers: [registry],
  });
  return {
    /** Records handed to the producer. */
    produced: (records: number) => produceRequests.inc({ component }, records),
    produceFailed: (reason: ProduceFailureReason) => produceFailures.inc({ component, reason }),
    setBufferedLimit: (bytes: number) => bufferedLimit.set({ component }, bytes),
    fetched: (records: number) => {
      fetches.inc();
      recordsPerFetch.observe(records);
    },
  };
}

/** The Kafka client's instruments. */
export type KafkaClientMetrics = ReturnType<typeof kafkaClientMetrics>;
