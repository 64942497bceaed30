/** The process's Prometheus registry: default process metrics plus Fjord's and Loki-named ones. */
import { Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { BuildInfo } from './build-info.js';

/** A fresh registry with process metrics and `loki_build_info`. */
export function createRegistry(build: BuildInfo): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
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
