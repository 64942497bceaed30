/** The S3 client's metric, Loki's name and labels (pkg/storage/chunk/client/aws s3_storage_client.go). */
import { Histogram, type Registry } from 'prom-client';

/** `loki_s3_request_duration_seconds{operation,status_code}`: `operation` is Loki's (`S3.GetObject`, …), `status_code` dskit's (`200`, or `500` for any error). */
export function s3Metrics(registry: Registry) {
  return {
    requestDuration: new Histogram({
      name: 'loki_s3_request_duration_seconds',
      help: 'Time spent doing S3 requests.',
      labelNames: ['operation', 'status_code'] as const,
      buckets: [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2],
      registers: [registry],
    }),
  };
}

/** The S3 client's instruments. */
export type S3Metrics = ReturnType<typeof s3Metrics>;
