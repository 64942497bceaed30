/**
 * `npm run soak -- 20m` (not part of `npm test`): a distributor process on the real Kafka broker
 * under steady push load for the given time. It first measures the distributor's capacity (lines
 * per second with PUSHERS connections pushing flat out for CAPACITY_MS), then pushes at
 * LOAD_FRACTION of it, and every minute prints the log text acknowledged per CPU-second of the
 * distributor process, the share of its CPU time spent in garbage collection, its major and minor
 * collections (prom-client's nodejs_gc_duration_seconds), heap in use, external memory and
 * resident set, and the streams it holds for the stream limits: a distributor that retains memory as it ages shows MB per CPU-second falling and
 * GC rising. The verdict compares the mean MB per CPU-second of the last VERDICT_MINUTES minutes
 * with that of the first: flat when within FLAT_TOLERANCE.
 * At the end it reads the topic back and compares, per stream, the lines acknowledged (204) with
 * the lines in Kafka, printing every stream that differs; it exits 1 when an acknowledged line is
 * missing or the speed was not flat.
 *
 * Options: `--streams N` (streams pushed at any time, default 200), `--churn N` (N new streams a
 * minute, each retiring the oldest, as pods come and go; default 0), `--heap-snapshots DIR` (the
 * distributor writes a heap snapshot into DIR on SIGUSR2, sent after the capacity phase and at the
 * end). Kafka comes from KAFKA_BROKERS, or is started through deploy/local/.
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
const REPORT_EVERY_MS = 60_000;
const PARTITIONS = 4;
const CLOCK_TICKS_PER_S = 100;
/** With churn, the prepared bodies are made again this often for the streams pushed by then. */
const REBUILD_EVERY_MS = 10_000;
/** The verdict's windows: the first and the last this many minutes (fewer when the run is shorter than twice this). */
const VERDICT_MINUTES = 5;
/** Flat: the last window's mean MB per CPU-second within this fraction of the first's. */
const FLAT_TOLERANCE = 0.15;

interface Args {
  readonly durationMs: number;
  readonly streams: number;
  readonly churnPerMinute: number;
  readonly snapshotDir: string | null;
}

function parseArgs(argv: readonly string[]): Args {
  let durationMs = 10 * 60_000;
  let streams = 200;
  let churnPerMinute = 0;
  let snapshotDir: string | null = null;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === '--streams') streams = Number(argv[++i]);
    else if (a === '--churn') churnPerMinute = Number(argv[++i]);
    else if (a === '--heap-snapshots') snapshotDir = resolve(argv[++i] as string);
    else {
      const ms = parseDuration(a);
      if (ms === null || ms <= 0) throw new Error(`not a duration: ${a} (e.g. 20m)`);
      durationMs = ms;
    }
  }
  if (!Number.isInteger(streams) || streams < STREAMS_PER_PUSH) throw new Error(`--streams must be an integer of at least ${STREAMS_PER_PUSH}`);
  if (!Number.isInteger(churnPerMinute) || churnPerMinute < 0) throw new Error('--churn must be a whole number of streams per minute');
  // Every stream of the moving window is pushed between two rebuilds only when it moves less than its width.
  if ((churnPerMinute * REBUILD_EVERY_MS) / 60_000 > streams) throw new Error(`--churn may be at most ${(streams * 60_000) / REBUILD_EVERY_MS} a minute with --streams ${streams}`);
  return { durationMs, streams, churnPerMinute, snapshotDir };
}

/** Bodies made before they are sent, sent in turn (encoding them per push would make the load generator the bottleneck). */
const BODIES = 64;

/** One prepared push: its protobuf+snappy body and the lines it holds per pod. */
interface PreparedPush {
  readonly body: Buffer;
  readonly pods: readonly string[];
  readonly textBytes: number;
}

/**
 * The load: pushes of STREAMS_PER_PUSH streams × LINES_PER_STREAM lines, with a count per stream
 * of what was acknowledged. The streams pushed are a window of `streams` stream numbers; with
 * churn the window moves on by `churnPerMinute` a minute (new pods start, the oldest stop).
 */
class Load {
  readonly acked = new Map<string, number>();
  ackedBytes = 0;
  ackedLines = 0;
  failures = 0;
  private next = 0;
  private pushes: PreparedPush[] = [];
  private firstStream = -1;
  private readonly lines = corpusLines(4096, 7).map((l) => Buffer.from(l));
  private readonly agent = new Agent({ keepAlive: true, maxSockets: PUSHERS });
  private readonly startedMs = Date.now();
  private rebuilder: NodeJS.Timeout | null = null;

  constructor(private readonly port: number, private readonly streams: number, private readonly churnPerMinute: number) {
    this.rebuild();
    if (churnPerMinute > 0) this.rebuilder = setInterval(() => this.rebuild(), REBUILD_EVERY_MS);
  }

  /** The number of the oldest stream pushed now. */
  private windowStart(): number {
    return Math.floor((this.churnPerMinute * (Date.now() - this.startedMs)) / 60_000);
  }

  private rebuild(): void {
    const first = this.windowStart();
    if (first === this.firstStream) return;
    this.firstStream = first;
    const nowNs = BigInt(Date.now()) * 1_000_000n;
    const pushes: PreparedPush[] = [];
    for (let n = 0; n < BODIES; n++) {
      const pushStreams: PushStream[] = [];
      const pods: string[] = [];
      let textBytes = 0;
      for (let k = 0; k < STREAMS_PER_PUSH; k++) {
        const s = first + ((n * STREAMS_PER_PUSH + k) % this.streams);
        pods.push(podOf(s));
        pushStreams.push({
          labels: `{app="soak-${s % 20}", namespace="ns-${s % 5}", pod="${podOf(s)}"}`,
          entries: Array.from({ length: LINES_PER_STREAM }, (_, i) => {
            const line = this.lines[(n * 31 + k * 7 + i) % this.lines.length] as Buffer;
            textBytes += line.length;
            return { tsNs: nowNs + BigInt((n * STREAMS_PER_PUSH + k) * LINES_PER_STREAM + i), line, structuredMetadata: [] };
          }),
        });
      }
      pushes.push({ body: snappy.compressSync(Buffer.from(encodePushProtobuf({ streams: pushStreams }))), pods, textBytes });
    }
    this.pushes = pushes;
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
    if (this.rebuilder) clearInterval(this.rebuilder);
    this.agent.destroy();
  }
}

function podOf(s: number): string {
  return `pod-${String(s).padStart(5, '0')}`;
}

/** CPU seconds (user + system) the process has used. */
async function cpuSeconds(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_S;
}

/** What the distributor's /metrics (prom-client's default metrics) says of its memory and collections. */
interface ProcessFigures {
  readonly gcSeconds: number;
  readonly majorGcs: number;
  readonly minorGcs: number;
  readonly heapBytes: number;
  readonly externalBytes: number;
  readonly rssBytes: number;
  /** fjord_distributor_tracked_streams: streams held for the stream limits (set at each minute's sweep). */
  readonly trackedStreams: number;
}

async function processFigures(url: string): Promise<ProcessFigures> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const f = { gcSeconds: 0, majorGcs: 0, minorGcs: 0, heapBytes: 0, externalBytes: 0, rssBytes: 0, trackedStreams: 0 };
  for (const line of text.split('\n')) {
    const value = Number(line.slice(line.lastIndexOf(' ') + 1));
    if (line.startsWith('nodejs_gc_duration_seconds_sum')) f.gcSeconds += value;
    else if (line.startsWith('nodejs_gc_duration_seconds_count{kind="major"}')) f.majorGcs = value;
    else if (line.startsWith('nodejs_gc_duration_seconds_count{kind="minor"}')) f.minorGcs = value;
    else if (line.startsWith('nodejs_heap_size_used_bytes ')) f.heapBytes = value;
    else if (line.startsWith('nodejs_external_memory_bytes ')) f.externalBytes = value;
    else if (line.startsWith('process_resident_memory_bytes ')) f.rssBytes = value;
    else if (line.startsWith('fjord_distributor_tracked_streams ')) f.trackedStreams = value;
  }
  return f;
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

/**
 * The distributor's config file. The stream limit is raised so that streams the churn starts
 * within the ingesters' chunk_idle_period (30 m) stay admitted; the distributor keeps them all.
 */
function soakConfig(brokers: readonly string[], topic: string, port: number): Record<string, unknown> {
  return {
    target: 'distributor',
    auth_enabled: true,
    server: { http_listen_port: port, http_listen_address: '127.0.0.1', log_level: 'warn' },
    kafka_config: { address: [...brokers], topic, auto_create_topic_default_partitions: PARTITIONS },
    limits_config: {
      ingestion_rate_mb: 100_000, ingestion_burst_size_mb: 100_000, per_stream_rate_limit: '1GB', per_stream_rate_limit_burst: '1GB',
      max_global_streams_per_user: 1_000_000,
    },
  };
}

/** The mean of the first and last `VERDICT_MINUTES` minutes (each at most half the run) and whether they are within FLAT_TOLERANCE. */
function verdict(series: readonly number[]): { window: number; first: number; last: number; flat: boolean } {
  const window = Math.max(1, Math.min(VERDICT_MINUTES, Math.floor(series.length / 2)));
  const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const first = mean(series.slice(0, window));
  const last = mean(series.slice(-window));
  return { window, first, last, flat: series.length >= 2 && Math.abs(last - first) <= FLAT_TOLERANCE * first };
}

const mb = (bytes: number) => (bytes / 1e6).toFixed(0);

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
  let load: Load | null = null;
  try {
    await waitUntil('the distributor to be ready', async () => (await fetch(`${url}/ready`).catch(() => null))?.status === 200, 60_000, 200);
    const ready = await processFigures(url);
    load = new Load(port, args.streams, args.churnPerMinute);
    const t0 = Date.now();
    await load.run(t0 + CAPACITY_MS, null);
    const capacity = load.ackedLines / ((Date.now() - t0) / 1000);
    const target = capacity * LOAD_FRACTION;
    console.log(`capacity ${Math.round(capacity).toLocaleString('en')} lines/s (${(load.ackedBytes / 1e6 / ((Date.now() - t0) / 1000)).toFixed(1)} MB/s) with ${PUSHERS} connections; soaking at ${Math.round(target).toLocaleString('en')} lines/s for ${args.durationMs / 1000} s, ${args.streams} streams at a time, ${args.churnPerMinute} new streams a minute`);
    if (args.snapshotDir) child.kill('SIGUSR2');
    console.log('   min   MB/s   CPU  MB/CPU-s  GC %CPU  major  minor  heap MB  external MB  RSS MB  streams  tracked  failed');
    const end = Date.now() + args.durationMs;
    const l = load;
    const sample = async () => ({ ms: Date.now(), cpu: await cpuSeconds(pid), bytes: l.ackedBytes, ...(await processFigures(url)) });
    let last = await sample();
    const started = last.ms;
    const series: number[] = [];
    const gcShares: number[] = [];
    const report = async () => {
      const now = await sample();
      const s = (now.ms - last.ms) / 1000;
      const cpu = now.cpu - last.cpu;
      const perCpu = cpu > 0 ? (now.bytes - last.bytes) / 1e6 / cpu : 0;
      const gcShare = cpu > 0 ? (now.gcSeconds - last.gcSeconds) / cpu : 0;
      series.push(perCpu);
      gcShares.push(gcShare);
      console.log(`${String(Math.round((now.ms - started) / 60_000)).padStart(6)} ${((now.bytes - last.bytes) / 1e6 / s).toFixed(2).padStart(6)} ${(cpu / s).toFixed(2).padStart(5)} ${perCpu.toFixed(2).padStart(9)} ${(100 * gcShare).toFixed(1).padStart(8)} ${String(now.majorGcs - last.majorGcs).padStart(6)} ${String(now.minorGcs - last.minorGcs).padStart(6)} ${mb(now.heapBytes).padStart(8)} ${mb(now.externalBytes).padStart(12)} ${mb(now.rssBytes).padStart(7)} ${String(l.acked.size).padStart(8)} ${String(now.trackedStreams).padStart(8)} ${String(l.failures).padStart(7)}`);
      last = now;
    };
    let reporting: Promise<void> = Promise.resolve();
    const reporter = setInterval(() => {
      reporting = report().catch((err: unknown) => console.error(`report failed: ${String(err)}`));
    }, REPORT_EVERY_MS);
    await load.run(end, target);
    clearInterval(reporter);
    await reporting;
    // The last minute ends with the load, just before the reporter would have run.
    if (Date.now() - last.ms >= REPORT_EVERY_MS / 2) await report();
    const finished = await processFigures(url);
    load.close();
    if (args.snapshotDir) {
      child.kill('SIGUSR2');
      console.log(`heap snapshots in ${args.snapshotDir}`);
    }
    const v = verdict(series);
    console.log(`MB per CPU-second by minute: ${series.map((x) => x.toFixed(2)).join(' ')}`);
    console.log(`GC share of CPU by minute (%): ${gcShares.map((x) => (100 * x).toFixed(1)).join(' ')}`);
    console.log(`heap in use ${mb(ready.heapBytes)} MB when ready, ${mb(finished.heapBytes)} MB at the end; external ${mb(ready.externalBytes)} → ${mb(finished.externalBytes)} MB; RSS ${mb(ready.rssBytes)} → ${mb(finished.rssBytes)} MB`);
    console.log(`verdict: ${v.flat ? 'flat' : 'NOT FLAT'}: mean of the last ${v.window} min ${v.last.toFixed(2)} MB/CPU-s, of the first ${v.window} min ${v.first.toFixed(2)} (${(100 * (v.last / v.first - 1)).toFixed(1)} %, tolerance ±${100 * FLAT_TOLERANCE} %)`);
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    const inTopic = await countTopic(brokers, topic);
    let missing = 0;
    let extra = 0;
    let exact = 0;
    for (const [pod, n] of load.acked) {
      const got = inTopic.get(pod) ?? 0;
      if (got === n) exact++;
      else console.log(`${pod}: ${n} acknowledged, ${got} in Kafka${got < n ? '  MISSING' : ''}`);
      if (got < n) missing += n - got;
      if (got > n) extra += got - n;
    }
    for (const [pod, got] of inTopic) if (!load.acked.has(pod)) extra += got;
    console.log(`${load.acked.size} streams, ${exact} with exactly the lines acknowledged; ${load.ackedLines} lines acknowledged, ${[...inTopic.values()].reduce((a, b) => a + b, 0)} in Kafka; ${missing} acknowledged lines missing, ${extra} more than acknowledged (pushes that failed: ${load.failures})`);
    process.exitCode = missing > 0 || !v.flat ? 1 : 0;
  } finally {
    load?.close();
    if (child.exitCode === null) child.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
    await services.stop();
  }
}

await main();
