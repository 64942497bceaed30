/**
 * `npm run soak -- 10m` (not part of `npm test`): a distributor process on the real Kafka broker
 * under steady push load for the given time. It first measures the distributor's capacity (lines
 * per second with PUSHERS connections pushing flat out for CAPACITY_MS), then pushes at
 * LOAD_FRACTION of it, and every REPORT_EVERY_MS prints the log text acknowledged per CPU-second
 * of the distributor process, its milliseconds of garbage collection per second (prom-client's
 * nodejs_gc_duration_seconds) and the heap in use: a distributor that retains memory as it ages
 * shows MB per CPU-second falling and GC rising.
 * At the end it reads the topic back and prints, per stream, the lines acknowledged (204) and the
 * lines in Kafka; it exits 1 when an acknowledged line is missing.
 *
 * Options: `--streams N` (default 200), `--heap-snapshots DIR` (the distributor writes a heap
 * snapshot into DIR on SIGUSR2, sent after the capacity phase and at the end). Kafka comes from
 * KAFKA_BROKERS, or is started through deploy/local/.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { Agent, request } from 'node:http';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import snappy from 'snappy';
import { stringify } from 'yaml';
import { parseDuration } from '../../schemas/config/values.js';
import { encodePushProtobuf, type PushStream } from '../../schemas/record/index.js';
import { eachStreamInTopic } from '../helpers/topic-streams.js';
import { freePort } from '../helpers/fjord-process.js';
import { uniqueName, waitUntil } from '../helpers/env.js';
import { startLocalServices } from '../helpers/local-services.js';
import { corpusLines } from './corpus.js';

const fjordJs = fileURLToPath(new URL('../../fjord.js', import.meta.url));
const PUSHERS = 16;
const STREAMS_PER_PUSH = 50;
const LINES_PER_STREAM = 40;
const CAPACITY_MS = 20_000;
const LOAD_FRACTION = 0.8;
const REPORT_EVERY_MS = 30_000;
const PARTITIONS = 4;
const CLOCK_TICKS_PER_S = 100;

interface Args {
  readonly durationMs: number;
  readonly streams: number;
  readonly snapshotDir: string | null;
}

function parseArgs(argv: readonly string[]): Args {
  let durationMs = 10 * 60_000;
  let streams = 200;
  let snapshotDir: string | null = null;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === '--streams') streams = Number(argv[++i]);
    else if (a === '--heap-snapshots') snapshotDir = resolve(argv[++i] as string);
    else {
      const ms = parseDuration(a);
      if (ms === null || ms <= 0) throw new Error(`not a duration: ${a} (e.g. 10m)`);
      durationMs = ms;
    }
  }
  if (!Number.isInteger(streams) || streams < STREAMS_PER_PUSH) throw new Error(`--streams must be an integer of at least ${STREAMS_PER_PUSH}`);
  return { durationMs, streams, snapshotDir };
}

/** Bodies made before the run, sent in turn (encoding them per push would make the load generator the bottleneck). */
const BODIES = 64;

/** One prepared push: its protobuf+snappy body and the lines it holds per pod. */
interface PreparedPush {
  readonly body: Buffer;
  readonly pods: readonly string[];
  readonly textBytes: number;
}

/** The load: pushes of STREAMS_PER_PUSH streams × LINES_PER_STREAM lines, with a count per stream of what was acknowledged. */
class Load {
  readonly acked = new Map<string, number>();
  ackedBytes = 0;
  ackedLines = 0;
  failures = 0;
  private next = 0;
  private readonly pushes: PreparedPush[] = [];
  private readonly agent = new Agent({ keepAlive: true, maxSockets: PUSHERS });

  constructor(private readonly port: number, streams: number) {
    for (let s = 0; s < streams; s++) this.acked.set(podOf(s), 0);
    const lines = corpusLines(4096, 7).map((l) => Buffer.from(l));
    const nowNs = BigInt(Date.now()) * 1_000_000n;
    for (let n = 0; n < BODIES; n++) {
      const pushStreams: PushStream[] = [];
      let textBytes = 0;
      for (let k = 0; k < STREAMS_PER_PUSH; k++) {
        const s = (n * STREAMS_PER_PUSH + k) % streams;
        pushStreams.push({
          labels: `{app="soak-${s % 20}", namespace="ns-${s % 5}", pod="${podOf(s)}"}`,
          entries: Array.from({ length: LINES_PER_STREAM }, (_, i) => {
            const line = lines[(n * 31 + k * 7 + i) % lines.length] as Buffer;
            textBytes += line.length;
            return { tsNs: nowNs + BigInt((n * STREAMS_PER_PUSH + k) * LINES_PER_STREAM + i), line, structuredMetadata: [] };
          }),
        });
      }
      const body = snappy.compressSync(Buffer.from(encodePushProtobuf({ streams: pushStreams })));
      this.pushes.push({ body, pods: pushStreams.map((p) => /pod="([^"]+)"/.exec(p.labels)?.[1] as string), textBytes });
    }
  }

  /** One push; resolves once it is answered. */
  async pushOnce(): Promise<void> {
    const p = this.pushes[this.next++ % this.pushes.length] as PreparedPush;
    const status = await new Promise<number>((resolve) => {
      const req = request({
        host: '127.0.0.1', port: this.port, path: '/loki/api/v1/push', method: 'POST', agent: this.agent,
        headers: { 'content-type': 'application/x-protobuf', 'x-scope-orgid': 'soak', 'content-length': p.body.length },
      }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('error', () => resolve(0));
      req.end(p.body);
    });
    if (status !== 204) {
      this.failures++;
      return;
    }
    for (const pod of p.pods) this.acked.set(pod, (this.acked.get(pod) ?? 0) + LINES_PER_STREAM);
    this.ackedBytes += p.textBytes;
    this.ackedLines += STREAMS_PER_PUSH * LINES_PER_STREAM;
  }

  /** PUSHERS loops until `untilMs`; with `linesPerSecond`, each paced to its share of it. */
  async run(untilMs: number, linesPerSecond: number | null): Promise<void> {
    const perPush = STREAMS_PER_PUSH * LINES_PER_STREAM;
    const gapMs = linesPerSecond === null ? 0 : (PUSHERS * perPush * 1000) / linesPerSecond;
    await Promise.all(Array.from({ length: PUSHERS }, async (_, w) => {
      let due = Date.now() + (gapMs * w) / PUSHERS;
      while (Date.now() < untilMs) {
        const wait = due - Date.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        await this.pushOnce();
        due = Math.max(due + gapMs, Date.now() - gapMs);
      }
    }));
  }

  close(): void {
    this.agent.destroy();
  }
}

function podOf(s: number): string {
  return `pod-${String(s).padStart(4, '0')}`;
}

/** CPU seconds (user + system) the process has used. */
async function cpuSeconds(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_S;
}

/** GC seconds and heap bytes in use, from the distributor's /metrics (prom-client's default metrics). */
async function heapFigures(url: string): Promise<{ gcSeconds: number; heapBytes: number }> {
  const text = await (await fetch(`${url}/metrics`)).text();
  let gcSeconds = 0;
  let heapBytes = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith('nodejs_gc_duration_seconds_sum')) gcSeconds += Number(line.slice(line.lastIndexOf(' ') + 1));
    if (line.startsWith('nodejs_heap_size_used_bytes')) heapBytes = Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return { gcSeconds, heapBytes };
}

/** Entries in the topic per pod, read back from each partition's start to its end. */
async function countTopic(brokers: readonly string[], topic: string): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  await eachStreamInTopic(brokers, topic, (s) => {
    const pod = /pod="([^"]+)"/.exec(s.labels)?.[1] ?? s.labels;
    out.set(pod, (out.get(pod) ?? 0) + s.entries.length);
  });
  return out;
}

/** The distributor's config file. */
function soakConfig(brokers: readonly string[], topic: string, port: number): Record<string, unknown> {
  return {
    target: 'distributor',
    auth_enabled: true,
    server: { http_listen_port: port, http_listen_address: '127.0.0.1', log_level: 'warn' },
    kafka_config: { address: [...brokers], topic, auto_create_topic_default_partitions: PARTITIONS },
    limits_config: { ingestion_rate_mb: 100_000, ingestion_burst_size_mb: 100_000, per_stream_rate_limit: '1GB', per_stream_rate_limit_burst: '1GB' },
  };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const services = await startLocalServices(process.env);
  const brokers = (process.env.KAFKA_BROKERS ?? services.env.KAFKA_BROKERS ?? '').split(',').filter(Boolean);
  const dir = await mkdtemp(join(tmpdir(), 'fjord-soak-'));
  const topic = uniqueName('fjord-soak');
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const configPath = join(dir, 'fjord.yaml');
  await writeFile(configPath, stringify({ ...soakConfig(brokers, topic, port), common: { path_prefix: dir } }));
  if (args.snapshotDir) await mkdir(args.snapshotDir, { recursive: true });
  const child: ChildProcess = spawn(process.execPath, [
    ...(args.snapshotDir ? ['--heapsnapshot-signal=SIGUSR2'] : []), fjordJs, `-config.file=${configPath}`,
  ], { stdio: ['ignore', 'ignore', 'inherit'], cwd: args.snapshotDir ?? dir });
  const pid = child.pid as number;
  try {
    await waitUntil('the distributor to be ready', async () => (await fetch(`${url}/ready`).catch(() => null))?.status === 200, 60_000, 200);
    const load = new Load(port, args.streams);
    const t0 = Date.now();
    await load.run(t0 + CAPACITY_MS, null);
    const capacity = load.ackedLines / ((Date.now() - t0) / 1000);
    const target = capacity * LOAD_FRACTION;
    console.log(`capacity ${Math.round(capacity).toLocaleString('en')} lines/s (${(load.ackedBytes / 1e6 / ((Date.now() - t0) / 1000)).toFixed(1)} MB/s) with ${PUSHERS} connections; soaking at ${Math.round(target).toLocaleString('en')} lines/s for ${args.durationMs / 1000} s`);
    if (args.snapshotDir) child.kill('SIGUSR2');
    console.log('   time   MB/s   CPU   MB/CPU-s  GC ms/s   heap MB   failed');
    const end = Date.now() + args.durationMs;
    let last = { ms: Date.now(), cpu: await cpuSeconds(pid), bytes: load.ackedBytes, ...(await heapFigures(url)) };
    const started = last.ms;
    const reporter = setInterval(() => {
      void (async () => {
        const now = { ms: Date.now(), cpu: await cpuSeconds(pid), bytes: load.ackedBytes, ...(await heapFigures(url)) };
        const s = (now.ms - last.ms) / 1000;
        const cpu = now.cpu - last.cpu;
        const mb = (now.bytes - last.bytes) / 1e6;
        const gc = (1000 * (now.gcSeconds - last.gcSeconds)) / s;
        console.log(`${String(Math.round((now.ms - started) / 1000)).padStart(6)} s ${(mb / s).toFixed(2).padStart(6)} ${(cpu / s).toFixed(2).padStart(5)} ${(cpu > 0 ? mb / cpu : 0).toFixed(2).padStart(10)} ${gc.toFixed(1).padStart(8)} ${(now.heapBytes / 1e6).toFixed(0).padStart(9)} ${String(load.failures).padStart(8)}`);
        last = now;
      })().catch((err: unknown) => console.error(`report failed: ${String(err)}`));
    }, REPORT_EVERY_MS);
    await load.run(end, target);
    clearInterval(reporter);
    load.close();
    if (args.snapshotDir) {
      child.kill('SIGUSR2');
      console.log(`heap snapshots in ${args.snapshotDir}`);
    }
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    const inTopic = await countTopic(brokers, topic);
    let missing = 0;
    let extra = 0;
    console.log('stream      acked   in Kafka');
    for (const [pod, n] of load.acked) {
      const got = inTopic.get(pod) ?? 0;
      if (got < n) missing += n - got;
      if (got > n) extra += got - n;
      console.log(`${pod} ${String(n).padStart(10)} ${String(got).padStart(10)}${got < n ? '  MISSING' : ''}`);
    }
    console.log(`${load.ackedLines} lines acknowledged, ${[...inTopic.values()].reduce((a, b) => a + b, 0)} in Kafka; ${missing} acknowledged lines missing, ${extra} more than acknowledged (pushes that failed: ${load.failures})`);
    process.exitCode = missing > 0 ? 1 : 0;
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
    await services.stop();
  }
}

await main();
