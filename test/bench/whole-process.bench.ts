/**
 * Fjord as a user runs it, measured in server CPU-seconds (what holds on a noisy machine better
 * than wall time): `node dist/fjord.js` on the embedded defaults (deploy/local/fjord-local.yaml),
 * and Kafka + S3 with the distributor and the ingester as separate processes. The load is the one
 * of ../shared/bench/loadgen.mjs: protobuf+snappy pushes of logfmt, JSON and access-log lines,
 * 100 streams, 1000 lines a push, 4 connections. Ingest is MB of line text per server CPU-second,
 * from the first push until the servers are idle again (the ingester caught up); queries are the
 * issue's mix over what was pushed, server CPU-seconds per query (median of 3). Each figure stands
 * beside a same-run reference measured in this process on the same lines: raw snappy + zstd of the
 * text for ingest, `Buffer.indexOf`, `JSON.parse` and `split(' ')` of the lines for queries.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import snappy from 'snappy';
import { loadZstdNative, loadZstdWasm } from '../../platform/codecs/index.js';
import { encodePushProtobuf, type PushStream } from '../../schemas/record/index.js';
import { kafkaBrokers, uniqueName, waitUntil } from '../helpers/env.js';
import { freePort } from '../helpers/fjord-process.js';
import { createBucket } from '../helpers/s3-bucket.js';
import { corpusLines } from './corpus.js';
import { rate, type BenchFigure, type BenchSuite } from './harness.js';

const LINES = 300_000;
const STREAMS = 100;
const LINES_PER_PUSH = 1000;
const CONNECTIONS = 4;
const projectRoot = fileURLToPath(new URL('../../../', import.meta.url));
const fjordJs = fileURLToPath(new URL('../../fjord.js', import.meta.url));
/** The flags of ../shared/bench/side-by-side.sh: the per-tenant limits raised, results cache off. */
const LIMIT_FLAGS = [
  '-distributor.ingestion-rate-limit-mb=100000', '-distributor.ingestion-burst-size-mb=100000',
  '-ingester.per-stream-rate-limit=10GB', '-ingester.per-stream-rate-limit-burst=10GB',
  '-ingester.max-global-streams-per-user=0', '-querier.max-query-series=100000', '-querier.cache-results=false',
];

/** The query mix: name, LogQL, and the reference work on the same lines. */
const QUERIES = [
  { name: 'filter-no-match', query: '{job="loadgen"} |= "no-such-needle"', ref: 'indexOf' },
  { name: 'filter-match-100', query: '{job="loadgen"} |= "level=error"', ref: 'indexOf' },
  { name: 'count-by-app', query: 'sum by (app) (count_over_time({job="loadgen"} [1m]))', ref: 'indexOf' },
  { name: 'logfmt-filter-rate', query: 'sum by (level) (rate({job="loadgen"} | logfmt | duration > 1s [1m]))', ref: 'split' },
  { name: 'json-count', query: 'sum(count_over_time({job="loadgen"} | json | status=500 [5m]))', ref: 'json' },
] as const;

interface Load {
  readonly bodies: Buffer[];
  readonly lines: Buffer[];
  readonly textBytes: number;
}

/** The pushes, made before anything is timed: LINES lines over the last 30 minutes, in order per stream. */
function makeLoad(nowMs: number): Load {
  const corpus = corpusLines(4096, 42).map((l) => Buffer.from(l));
  const firstNs = BigInt(nowMs - 30 * 60_000) * 1_000_000n;
  const stepNs = (30n * 60n * 1_000_000_000n) / BigInt(LINES);
  const bodies: Buffer[] = [];
  const lines: Buffer[] = [];
  let textBytes = 0;
  for (let at = 0; at < LINES; at += LINES_PER_PUSH) {
    const streams: PushStream[] = Array.from({ length: STREAMS }, (_, s) => ({ labels: `{job="loadgen", app="app-${s % 10}", pod="pod-${s}"}`, entries: [] }));
    for (let i = at; i < at + LINES_PER_PUSH; i++) {
      const line = corpus[(i * 7) & 4095] as Buffer;
      lines.push(line);
      textBytes += line.length;
      (streams[i % STREAMS]?.entries as unknown as unknown[]).push({ tsNs: firstNs + BigInt(i) * stepNs, line, structuredMetadata: [] });
    }
    bodies.push(snappy.compressSync(Buffer.from(encodePushProtobuf({ streams }))));
  }
  return { bodies, lines, textBytes };
}

/** Seconds of CPU (user + system, all threads) a process has used, from /proc. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

function selfCpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

/** A fjord process of the bench. */
interface Server {
  readonly url: string;
  readonly child: ChildProcess;
  cpu(): number;
  stop(): Promise<void>;
}

async function startServer(args: readonly string[]): Promise<Server> {
  const port = await freePort();
  const child = spawn(process.execPath, [fjordJs, `-server.http-listen-port=${port}`, '-server.http-listen-address=127.0.0.1', ...args], {
    cwd: projectRoot, stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  child.stderr?.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-4000)));
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const server: Server = {
    url,
    child,
    cpu: () => cpuSeconds(child.pid as number),
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
  await waitUntil(`fjord ${args.find((a) => a.startsWith('-target=')) ?? ''} ready`, async () => {
    if (child.exitCode !== null) throw new Error(`fjord exited with ${child.exitCode}: ${err}`);
    return (await fetch(`${url}/ready`).catch(() => null))?.status === 200;
  }, 90_000, 100);
  return server;
}

/** Wait until the servers together use under 2% of a core over half a second (work caught up). */
async function waitIdle(servers: readonly Server[]): Promise<void> {
  const total = () => servers.reduce((n, s) => n + s.cpu(), 0);
  let last = total();
  await waitUntil('servers idle', async () => {
    await new Promise((r) => setTimeout(r, 500));
    const now = total();
    const idle = now - last <= 0.01;
    last = now;
    return idle;
  }, 300_000, 0);
}

/** Push every body over CONNECTIONS connections; throws on any answer but 204. */
async function pushAll(url: string, bodies: readonly Buffer[]): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: CONNECTIONS }, async () => {
    while (next < bodies.length) {
      const body = bodies[next++] as Buffer;
      const res = await fetch(`${url}/loki/api/v1/push`, {
        method: 'POST', headers: { 'Content-Type': 'application/x-protobuf', 'X-Scope-OrgID': 'fake' }, body,
      });
      const text = await res.text();
      if (res.status !== 204) throw new Error(`push answered ${res.status}: ${text.slice(0, 200)}`);
    }
  }));
}

/** Server CPU-seconds from the first push until every server is idle again. */
async function ingest(url: string, servers: readonly Server[], load: Load): Promise<number[]> {
  const before = servers.map((s) => s.cpu());
  await pushAll(url, load.bodies);
  await waitIdle(servers);
  return servers.map((s, i) => s.cpu() - (before[i] as number));
}

async function getJson(url: string): Promise<{ status: string; data: { result: Array<{ value?: [number, string] }> } }> {
  const res = await fetch(url, { headers: { 'X-Scope-OrgID': 'fake' } });
  if (res.status !== 200) throw new Error(`${url} answered ${res.status}: ${(await res.text()).slice(0, 200)}`);
  return (await res.json()) as { status: string; data: { result: Array<{ value?: [number, string] }> } };
}

/** Lines stored, as the side-by-side script counts them; throws unless all LINES are there. */
async function checkStored(url: string): Promise<void> {
  const q = new URLSearchParams({ query: 'sum(count_over_time({job="loadgen"}[2h]))' });
  const body = await getJson(`${url}/loki/api/v1/query?${q}`);
  const stored = Number(body.data.result[0]?.value?.[1] ?? 0);
  if (stored !== LINES) throw new Error(`stored ${stored} lines of ${LINES}`);
}

/** The median server CPU-seconds of three runs of `query` over the last hour. */
async function queryCpu(server: Server, query: string): Promise<number> {
  const nowS = Math.floor(Date.now() / 1000);
  const q = new URLSearchParams({ query, start: String(nowS - 3600), end: String(nowS + 60), limit: '100', step: '60' });
  const runs: number[] = [];
  for (let i = 0; i < 3; i++) {
    const c0 = server.cpu();
    const body = await getJson(`${server.url}/loki/api/v1/query_range?${q}`);
    if (body.status !== 'success') throw new Error(`${query}: ${JSON.stringify(body).slice(0, 200)}`);
    runs.push(server.cpu() - c0);
  }
  return runs.sort((a, b) => a - b)[1] as number;
}

/** The bench process's CPU-seconds for `fn`, the lowest of three runs. */
function referenceCpu(fn: () => number): number {
  let best = Infinity;
  let sink = 0;
  for (let i = 0; i < 3; i++) {
    const c0 = selfCpuSeconds();
    sink += fn();
    best = Math.min(best, selfCpuSeconds() - c0);
  }
  if (sink === -1) console.error('unreachable');
  return best;
}

/** MB of text per CPU-second for the least any ingest does: snappy-decode the bodies, zstd the text in 256 KiB pieces. */
async function ingestReference(load: Load): Promise<{ mbPerCpuS: number; label: string }> {
  const zstd = loadZstdNative(3) ?? (await loadZstdWasm(3));
  const text = Buffer.concat(load.lines);
  const cpu = referenceCpu(() => {
    let n = 0;
    for (const b of load.bodies) n += (snappy.uncompressSync(b) as Buffer).length;
    for (let at = 0; at < text.length; at += 262_144) n += zstd.compress(text.subarray(at, at + 262_144)).length;
    return n;
  });
  return { mbPerCpuS: load.textBytes / 1e6 / cpu, label: `snappy decode of the bodies + raw zstd (${zstd.implementation}) of the text` };
}

function queryReference(kind: 'indexOf' | 'split' | 'json', lines: readonly Buffer[]): { cpuS: number; label: string } {
  if (kind === 'indexOf') {
    const text = Buffer.concat(lines);
    const needle = Buffer.from('no-such-needle');
    return { cpuS: referenceCpu(() => text.indexOf(needle)), label: '`Buffer.indexOf` over the same text' };
  }
  const strings = lines.map((l) => l.toString());
  if (kind === 'split') {
    return { cpuS: referenceCpu(() => strings.reduce((n, s) => n + s.split(' ').length, 0)), label: "`split(' ')` of the same lines" };
  }
  const json = strings.filter((s) => s.startsWith('{'));
  return { cpuS: referenceCpu(() => json.reduce((n, s) => n + (JSON.parse(s) as { status?: number }).status!, 0)), label: '`JSON.parse` of the same JSON lines' };
}

async function embedded(load: Load, ref: { mbPerCpuS: number; label: string }): Promise<BenchFigure[]> {
  const dir = await mkdtemp(join(tmpdir(), 'fjord-bench-whole-'));
  const server = await startServer(['-config.file=deploy/local/fjord-local.yaml', `-common.path-prefix=${dir}`, ...LIMIT_FLAGS]);
  try {
    await waitIdle([server]);
    const [cpu] = await ingest(server.url, [server], load);
    const figures: BenchFigure[] = [{
      name: `whole process, embedded defaults: ingest, protobuf+snappy, ${STREAMS} streams, ${LINES.toLocaleString('en')} lines`,
      figure: rate('MB of line text per server CPU-second', load.textBytes / 1e6 / (cpu as number), 'MB/CPU-s'),
      reference: rate(ref.label, ref.mbPerCpuS, 'MB/CPU-s'),
      note: `${(cpu as number).toFixed(2)} CPU-s for ${(load.textBytes / 1e6).toFixed(1)} MB`,
    }];
    await fetch(`${server.url}/flush`, { method: 'POST' });
    await waitIdle([server]);
    await checkStored(server.url);
    for (const q of QUERIES) {
      const cpuS = await queryCpu(server, q.query);
      const r = queryReference(q.ref, load.lines);
      figures.push({
        name: `whole process, embedded defaults: query ${q.name}: ${q.query}`,
        figure: rate('server CPU-seconds per query', cpuS, 'CPU-s'),
        reference: rate(r.label, r.cpuS, 'CPU-s'),
      });
    }
    return figures;
  } finally {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

async function kafkaAndS3(load: Load, ref: { mbPerCpuS: number; label: string }): Promise<BenchFigure[]> {
  const topic = uniqueName('fjord-bench');
  const bucket = await createBucket(uniqueName('fjord-bench'));
  const dir = await mkdtemp(join(tmpdir(), 'fjord-bench-kafka-'));
  const s3 = bucket.settings;
  const common = [
    `-kafka.address=${kafkaBrokers().join(',')}`, `-kafka.topic=${topic}`, '-kafka.auto-create-topic-default-partitions=4',
    `-kafka.consumer-group=${topic}`, `-common.storage.s3.endpoint=${s3.endpoint}`, `-common.storage.s3.buckets=${bucket.name}`,
    `-common.storage.s3.access-key-id=${s3.accessKeyId}`, `-common.storage.s3.secret-access-key=${s3.secretAccessKey}`,
    '-common.storage.s3.force-path-style', '-common.instance-addr=127.0.0.1', ...LIMIT_FLAGS,
  ];
  const servers: Server[] = [];
  try {
    const distributor = await startServer(['-target=distributor', `-common.path-prefix=${join(dir, 'distributor')}`, ...common]);
    servers.push(distributor);
    const ingester = await startServer(['-target=ingester', `-common.path-prefix=${join(dir, 'ingester')}`, ...common]);
    servers.push(ingester);
    await waitIdle(servers);
    const [d, i] = (await ingest(distributor.url, servers, load)) as [number, number];
    const mb = load.textBytes / 1e6;
    const figure = (who: string, cpu: number): BenchFigure => ({
      name: `whole process, Kafka + S3, distributor and ingester apart: ingest, ${who}`,
      figure: rate('MB of line text per server CPU-second', mb / cpu, 'MB/CPU-s'),
      reference: rate(ref.label, ref.mbPerCpuS, 'MB/CPU-s'),
      note: `${cpu.toFixed(2)} CPU-s for ${mb.toFixed(1)} MB`,
    });
    return [figure('both processes', d + i), figure('distributor alone', d), figure('ingester alone', i)];
  } finally {
    for (const s of servers.reverse()) await s.stop();
    await bucket.remove();
    await rm(dir, { recursive: true, force: true });
  }
}

export const suite: BenchSuite = {
  name: 'whole-process',
  needsServices: true,
  async run(): Promise<BenchFigure[]> {
    const load = makeLoad(Date.now());
    const ref = await ingestReference(load);
    return [...(await embedded(load, ref)), ...(await kafkaAndS3(load, ref))];
  },
};
