/**
 * The write path's speed: (1) per core, decode + validate + partition + encode of realistic
 * protobuf+snappy pushes, beside same-run raw snappy decompression of the same bodies; (2) end to
 * end, HTTP push to a fjord distributor until Kafka acknowledges, with 16 connections, beside the
 * same-run produce rate of the log alone; and the p99 push latency at half that rate.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import snappy from 'snappy';
import { LabelCache } from '../../schemas/labels/index.js';
import { partitionFor } from '../../pipeline/index.js';
import { SNAPPY_OUTPUT } from '../../platform/codecs/snappy.js';
import { decodeRawSnappy } from '../../pipeline/push/body.js';
import { validatePush } from '../../pipeline/validation/validate.js';
import { buildConfig } from '../../schemas/config/index.js';
import {
  decodePushProtobuf, encodePushProtobuf, splitIntoRecords, type PushRequest, type PushStream,
} from '../../schemas/record/index.js';
import { freePort } from '../helpers/fjord-process.js';
import { uniqueName } from '../helpers/env.js';
import { corpusLines } from './corpus.js';
import { mbPerSecond, percentile, perSecond, rate, timeIt, type BenchFigure, type BenchSuite } from './harness.js';

const limits = buildConfig({ file: { limits_config: { reject_old_samples: false, creation_grace_period: '1000h', ingestion_rate_mb: 100000, ingestion_burst_size_mb: 100000 } }, flags: [] }).limits_config;

function makePush(streams: number, linesPerStream: number, seed: number, nowNs: bigint): { req: PushRequest; textBytes: number } {
  const lines = corpusLines(streams * linesPerStream, seed);
  let textBytes = 0;
  const out: PushStream[] = [];
  for (let s = 0; s < streams; s++) {
    out.push({
      labels: `{app="app-${s % 25}", env="prod", pod="pod-${seed}-${s}", namespace="ns-${s % 5}"}`,
      entries: lines.slice(s * linesPerStream, (s + 1) * linesPerStream).map((l, i) => {
        const line = Buffer.from(l);
        textBytes += line.length;
        return { tsNs: nowNs + BigInt(i), line, structuredMetadata: [] };
      }),
    });
  }
  return { req: { streams: out }, textBytes };
}

/** The distributor's CPU work for one body, without I/O. */
function distribute(body: Buffer, cache: LabelCache, nowMs: number): number {
  const req = decodePushProtobuf(decodeRawSnappy(body, 100 << 20));
  const labels = req.streams.map((s) => cache.get(s.labels, limits.discover_service_name));
  const out = validatePush(req, labels, { tenant: 'bench', limits, nowMs });
  const byPartition = new Map<number, PushStream[]>();
  for (const s of out.streams) {
    const p = partitionFor('bench', s.labels.text, 16);
    const list = byPartition.get(p) ?? [];
    list.push({ labels: s.labels.text, entries: s.entries });
    byPartition.set(p, list);
  }
  let records = 0;
  for (const list of byPartition.values()) records += splitIntoRecords(list, 1_000_000).length;
  return records;
}

async function perCore(): Promise<BenchFigure[]> {
  const out: BenchFigure[] = [];
  const nowMs = Date.now();
  for (const [streams, per] of [[50, 40], [500, 4]] as const) {
    const pushes = Array.from({ length: 8 }, (_, i) => makePush(streams, per, i + 1, BigInt(nowMs) * 1_000_000n));
    const bodies = pushes.map((p) => snappy.compressSync(Buffer.from(encodePushProtobuf(p.req))));
    const lines = streams * per * bodies.length;
    const text = pushes.reduce((n, p) => n + p.textBytes, 0);
    const cache = new LabelCache();
    const work = await timeIt(() => bodies.reduce((n, b) => n + distribute(b, cache, nowMs), 0), 2000);
    const ref = await timeIt(() => bodies.reduce((n, b) => n + (snappy.uncompressSync(b, SNAPPY_OUTPUT) as Buffer).length, 0), 1000);
    const decoded = bodies.reduce((n, b) => n + (snappy.uncompressSync(b, SNAPPY_OUTPUT) as Buffer).length, 0);
    out.push({
      name: `decode+validate+partition+encode, protobuf+snappy, ${streams} streams × ${per} lines`,
      figure: rate('log text', mbPerSecond(work, text), 'MB/s'),
      reference: rate('snappy decompression of the same bodies (MB/s out)', mbPerSecond(ref, decoded), 'MB/s'),
      note: `${Math.round(perSecond(work, lines)).toLocaleString('en')} lines/s per core`,
    });
  }
  return out;
}

const fjordJs = fileURLToPath(new URL('../../fjord.js', import.meta.url));

async function endToEnd(): Promise<BenchFigure[]> {
  const dir = await mkdtemp(join(tmpdir(), 'fjord-bench-'));
  const port = await freePort();
  const topic = uniqueName('fjord-bench');
  const child = spawn(process.execPath, [
    fjordJs, '-target=distributor', '-auth.enabled=false', `-server.http-listen-port=${port}`, '-server.http-listen-address=127.0.0.1',
    `-common.path-prefix=${dir}`, `-kafka.address=${process.env.KAFKA_BROKERS}`, `-kafka.topic=${topic}`,
    '-distributor.ingestion-rate-limit-mb=100000', '-distributor.ingestion-burst-size-mb=100000', '-ingester.per-stream-rate-limit=1GB',
    '-ingester.per-stream-rate-limit-burst=1GB', '-validation.reject-old-samples=false',
  ], { stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}`;
  try {
    for (let i = 0; i < 600; i++) {
      if ((await fetch(`${url}/ready`).catch(() => null))?.status === 200) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const nowNs = BigInt(Date.now()) * 1_000_000n;
    const pushes = Array.from({ length: 16 }, (_, i) => makePush(50, 40, 100 + i, nowNs));
    const bodies = pushes.map((p) => snappy.compressSync(Buffer.from(encodePushProtobuf(p.req))));
    const textPerBody = pushes[0]?.textBytes ?? 0;
    const send = async (i: number): Promise<number> => {
      const t0 = performance.now();
      const res = await fetch(`${url}/loki/api/v1/push`, { method: 'POST', headers: { 'content-type': 'application/x-protobuf' }, body: bodies[i % bodies.length] });
      await res.arrayBuffer();
      if (res.status !== 204) throw new Error(`push answered ${res.status}`);
      return performance.now() - t0;
    };
    // Saturation: 16 connections for 8 s.
    let pushesDone = 0;
    const until = performance.now() + 8000;
    const t0 = performance.now();
    await Promise.all(Array.from({ length: 16 }, async (_, c) => {
      for (let i = c; performance.now() < until; i += 16) {
        await send(i);
        pushesDone++;
      }
    }));
    const seconds = (performance.now() - t0) / 1000;
    const maxPushesPerSec = pushesDone / seconds;
    // Latency at half the saturated rate: paced sends for 6 s.
    const latencies: number[] = [];
    const interval = 1000 / (maxPushesPerSec / 2);
    const pacedUntil = performance.now() + 6000;
    const inflight: Promise<void>[] = [];
    for (let i = 0, next = performance.now(); next < pacedUntil; i++, next += interval) {
      const wait = next - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      inflight.push(send(i).then((ms) => void latencies.push(ms)));
    }
    await Promise.all(inflight);
    const mb = (pushesDone * textPerBody) / 1e6 / seconds;
    const lines = (pushesDone * 2000) / seconds;
    return [
      {
        name: 'HTTP push → acknowledged by Kafka, 16 connections (distributor, Kafka and client share 2 cores)',
        figure: rate('log text', mb, 'MB/s'),
        reference: rate('decode+validate+partition+encode alone (above)', 0, 'MB/s'),
        note: `${Math.round(lines).toLocaleString('en')} lines/s; p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms at ${(maxPushesPerSec / 2).toFixed(0)} pushes/s (half the saturated rate)`,
      },
    ];
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.on('exit', r));
    await rm(dir, { recursive: true, force: true });
  }
}

export const suite: BenchSuite = {
  name: 'write path',
  needsServices: true,
  async run() {
    const core = await perCore();
    const e2e = await endToEnd();
    const first = core[0];
    return [...core, ...e2e.map((f) => (first ? { ...f, reference: { ...first.figure, label: 'same-run decode+validate+partition+encode, one core' } } : f))];
  },
};
