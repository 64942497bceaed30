/** Distributor metrics, Loki's names where Loki has them. */
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { discardMetrics } from '../../platform/index.js';

/** The distributor's instruments, registered on `registry`. */
export function distributorMetrics(registry: Registry) {
  return {
    linesReceived: new Counter({
      name: 'loki_distributor_lines_received_total',
      help: 'The total number of lines received per tenant',
      labelNames: ['tenant', 'format'] as const,
      registers: [registry],
    }),
    bytesReceived: new Counter({
      name: 'loki_distributor_bytes_received_total',
      help: 'The total number of uncompressed bytes received per tenant. Includes structured metadata bytes.',
      labelNames: ['tenant', 'format'] as const,
      registers: [registry],
    }),
    structuredMetadataBytesReceived: new Counter({
      name: 'loki_distributor_structured_metadata_bytes_received_total',
      help: 'The total number of uncompressed bytes received per tenant for entries\' structured metadata',
      labelNames: ['tenant', 'format'] as const,
      registers: [registry],
    }),
    discarded: discardMetrics(registry),
    mutatedSamples: new Counter({
      name: 'loki_mutated_samples_total',
      help: 'The total number of samples that have been mutated.',
      labelNames: ['reason', 'tenant'] as const,
      registers: [registry],
    }),
    mutatedBytes: new Counter({
      name: 'loki_mutated_bytes_total',
      help: 'The total number of bytes that have been mutated.',
      labelNames: ['reason', 'tenant'] as const,
      registers: [registry],
    }),
    appendFailures: new Counter({
      name: 'loki_distributor_ingester_append_failures_total',
      help: 'The total number of failed batch appends sent to the log (Kafka produce failures).',
      registers: [registry],
    }),
    kafkaAppends: new Counter({
      name: 'loki_distributor_kafka_appends_total',
      help: 'The total number of appends sent to Kafka, by partition and status.',
      labelNames: ['partition', 'status'] as const,
      registers: [registry],
    }),
    kafkaSentBytes: new Counter({
      name: 'loki_distributor_kafka_sent_bytes_total',
      help: 'Total number of bytes sent to Kafka.',
      registers: [registry],
    }),
    kafkaLatency: new Histogram({
      name: 'loki_distributor_kafka_latency_seconds',
      help: 'Latency to write an incoming request to the log (all records acknowledged).',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    recordsPerRequest: new Histogram({
      name: 'loki_distributor_kafka_records_per_write_request',
      help: 'The number of records a single push request has been split into.',
      buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256],
      registers: [registry],
    }),
    inflightBytes: new Gauge({
      name: 'fjord_distributor_inflight_bytes',
      help: 'Push bytes being validated and produced right now.',
      registers: [registry],
    }),
    trackedStreams: new Gauge({
      name: 'fjord_distributor_tracked_streams',
      help: 'Streams the distributor holds for the stream limits: those seen within chunk_idle_period, of every tenant (set every minute).',
      registers: [registry],
    }),
  };
}

/** The distributor's instruments. */
export type DistributorMetrics = ReturnType<typeof distributorMetrics>;
