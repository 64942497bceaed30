/** The process's Prometheus registry: default process metrics plus Fjord's and Loki-named ones. */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { BuildInfo } from './build-info.js';

/**
 * How often the event-loop delay histogram samples, in ms. prom-client's default (10) wakes an
 * idle process 100 times a second; 100 keeps the lag metrics and costs a tenth of that.
 */
const EVENT_LOOP_SAMPLE_EVERY_MS = 100;

/** A fresh registry with process metrics and `loki_build_info`. */
export function createRegistry(build: BuildInfo): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: EVENT_LOOP_SAMPLE_EVERY_MS });
  const info = new Gauge({
    name: 'loki_build_info',
    help: 'A metric with a constant 1 value labeled by version, revision, branch and node version.',
    labelNames: ['version', 'revision', 'branch', 'goversion'] as const,
    registers: [registry],
  });
  info.set({ version: build.version, revision: build.revision, branch: build.branch, goversion: build.goVersion }, 1);
  return registry;
}

/** HTTP metrics of the server, Loki's name and labels. */
export function httpMetrics(registry: Registry) {
  return {
    requestDuration: new Histogram({
      name: 'loki_request_duration_seconds',
      help: 'Time (in seconds) spent serving HTTP requests.',
      labelNames: ['method', 'route', 'status_code', 'ws'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 25, 50, 100],
      registers: [registry],
    }),
  };
}

/**
 * `loki_discarded_samples_total` / `loki_discarded_bytes_total{reason,tenant}`: shared by the
 * distributor and the ingester, which may run in one process, so registered once per registry.
 */
export function discardMetrics(registry: Registry) {
  const counter = (name: string, help: string) =>
    (registry.getSingleMetric(name) as Counter<'reason' | 'tenant'> | undefined) ??
    new Counter({ name, help, labelNames: ['reason', 'tenant'] as const, registers: [registry] });
  return {
    samples: counter('loki_discarded_samples_total', 'The total number of samples that were discarded.'),
    bytes: counter('loki_discarded_bytes_total', 'The total number of bytes that were discarded.'),
  };
}
