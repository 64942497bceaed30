/**
 * Push bodies in every format Fjord accepts, built from the committed fixtures with their
 * timestamps moved to now (the fixtures are years old, past reject_old_samples_max_age).
 */
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import snappy from 'snappy';
import { decodeOtlpLogsJson, encodeOtlpLogsProtobuf, type OtlpLogsRequest } from '../../pipeline/index.js';
import { decodePushJson, encodePushJson, encodePushProtobuf, type PushRequest } from '../../schemas/record/index.js';

const fixture = (name: string) => readFileSync(new URL(`../../../test/fixtures/push/${name}`, import.meta.url));

/** The Loki fixture with its entries shifted so the newest is `nowNs`. */
export function lokiFixture(nowNs: bigint): PushRequest {
  const req = decodePushJson(fixture('loki-push.json'));
  let max = 0n;
  for (const s of req.streams) for (const e of s.entries) if (e.tsNs > max) max = e.tsNs;
  return { streams: req.streams.map((s) => ({ labels: s.labels, entries: s.entries.map((e) => ({ ...e, tsNs: e.tsNs - max + nowNs })) })) };
}

/** The OTLP fixture with its record times shifted so the newest is `nowNs`. */
export function otlpFixture(nowNs: bigint): OtlpLogsRequest {
  const req = decodeOtlpLogsJson(fixture('otlp-logs.json'));
  let max = 0n;
  for (const r of req.resourceLogs) for (const s of r.scopeLogs) for (const l of s.logRecords) if (l.timeUnixNano > max) max = l.timeUnixNano;
  const shift = (t: bigint) => (t === 0n ? 0n : t - max + nowNs);
  return {
    resourceLogs: req.resourceLogs.map((r) => ({
      ...r,
      scopeLogs: r.scopeLogs.map((s) => ({
        ...s,
        logRecords: s.logRecords.map((l) => ({ ...l, timeUnixNano: shift(l.timeUnixNano), observedTimeUnixNano: shift(l.observedTimeUnixNano) })),
      })),
    })),
  };
}

/** One way of sending a push: headers and body. */
export interface PushBody {
  readonly name: string;
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body: Buffer;
}

/** `tsNs` as python-logging-loki writes `ts` (RFC 3339 with a `+00:00` offset), to nanoseconds. */
function isoTime(tsNs: bigint): string {
  const whole = new Date(Number(tsNs / 1_000_000_000n) * 1000).toISOString().slice(0, 19);
  return `${whole}.${String(tsNs % 1_000_000_000n).padStart(9, '0')}+00:00`;
}

/** The push in the legacy `/api/prom/push` JSON shape: `labels` as text, `entries` with `ts`. */
export function encodeLegacyPushJson(req: PushRequest): string {
  return JSON.stringify({
    streams: req.streams.map((s) => ({
      labels: s.labels,
      entries: s.entries.map((e) => ({
        ts: isoTime(e.tsNs),
        line: Buffer.from(e.line).toString(),
        ...(e.structuredMetadata.length > 0 ? { structuredMetadata: Object.fromEntries(e.structuredMetadata.map((l) => [l.name, l.value])) } : {}),
      })),
    })),
  });
}

/** The same Loki push as JSON, gzip'd JSON, protobuf+snappy, and protobuf+snappy with Content-Encoding: gzip… */
export function lokiBodies(req: PushRequest): PushBody[] {
  const json = Buffer.from(encodePushJson(req));
  const proto = snappy.compressSync(Buffer.from(encodePushProtobuf(req)));
  return [
    { name: 'loki json', path: '/loki/api/v1/push', headers: { 'content-type': 'application/json' }, body: json },
    { name: 'loki json, gzip', path: '/loki/api/v1/push', headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' }, body: gzipSync(json) },
    { name: 'loki protobuf+snappy', path: '/loki/api/v1/push', headers: { 'content-type': 'application/x-protobuf' }, body: proto },
    { name: 'loki protobuf+snappy, no content type (Loki\'s default)', path: '/api/prom/push', headers: {}, body: proto },
    { name: 'loki legacy json (python-logging-loki)', path: '/api/prom/push', headers: { 'content-type': 'application/json' }, body: Buffer.from(encodeLegacyPushJson(req)) },
    { name: 'loki protobuf+snappy, gzip', path: '/loki/api/v1/push', headers: { 'content-type': 'application/x-protobuf', 'content-encoding': 'gzip' }, body: gzipSync(proto) },
  ];
}

/** The OTLP push as protobuf, JSON and gzip'd protobuf. */
export function otlpBodies(req: OtlpLogsRequest): PushBody[] {
  const pb = Buffer.from(encodeOtlpLogsProtobuf(req));
  const json = Buffer.from(JSON.stringify(otlpJsonOf(req)));
  return [
    { name: 'otlp protobuf', path: '/otlp/v1/logs', headers: { 'content-type': 'application/x-protobuf' }, body: pb },
    { name: 'otlp protobuf, gzip', path: '/otlp/v1/logs', headers: { 'content-type': 'application/x-protobuf', 'content-encoding': 'gzip' }, body: gzipSync(pb) },
    { name: 'otlp json', path: '/otlp/v1/logs', headers: { 'content-type': 'application/json' }, body: json },
  ];
}

/** The OTLP fixture JSON with its times replaced (the JSON mapping keeps int64 as strings). */
function otlpJsonOf(req: OtlpLogsRequest): unknown {
  const raw = JSON.parse(fixture('otlp-logs.json').toString()) as { resourceLogs: Array<{ scopeLogs: Array<{ logRecords: Array<Record<string, unknown>> }> }> };
  raw.resourceLogs.forEach((r, i) =>
    r.scopeLogs.forEach((s, j) =>
      s.logRecords.forEach((l, k) => {
        const rec = req.resourceLogs[i]?.scopeLogs[j]?.logRecords[k];
        if (!rec) return;
        l.timeUnixNano = String(rec.timeUnixNano);
        l.observedTimeUnixNano = String(rec.observedTimeUnixNano);
      }),
    ),
  );
  return raw;
}
