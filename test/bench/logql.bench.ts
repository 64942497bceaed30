/**
 * LogQL benchmarks, each beside a same-run reference on the same bytes: block line filtering vs a
 * raw Buffer.indexOf scan, `| json | level="error"` vs JSON.parse, `| logfmt | duration > 1s` vs
 * splitting the lines on spaces, and a `sum by (level)(count_over_time(… | logfmt [1m]))` over 1M
 * lines vs decoding the same lines to strings; `avg_over_time(… | logfmt | unwrap …) by (level)` over 1M
 * lines from one stream and from four (the series of four streams are added in time order across
 * them, as Loki's heap-merged iterator) vs the same decoding; and the side-by-side parser metric
 * queries over blocks of loadgen-shaped lines with a detected_level each, fed as the engine feeds
 * whole blocks (`pushRun`), vs the same decoding.
 */
import { compileLogPipeline, createMetricEvaluator, parseExpr, type LogSelectorExpr, type SampleExpr } from '../../query/logql/index.js';
import { seededRandom } from '../helpers/random.js';
import { mbPerSecond, perSecond, rate, timeIt, type BenchFigure, type BenchSuite } from './harness.js';

const LEVELS = ['info', 'info', 'info', 'debug', 'warn', 'error'];
const PATHS = ['/api/v1/push', '/api/v1/query_range', '/loki/api/v1/tail', '/metrics', '/ready'];

function logfmtLine(r: () => number, i: number): string {
  const level = LEVELS[Math.floor(r() * LEVELS.length)] as string;
  const ms = Math.floor(r() * 2000);
  return `ts=2024-05-01T10:${String(i % 60).padStart(2, '0')}:00.${String(i % 1000).padStart(3, '0')}Z level=${level} caller=handler.go:${Math.floor(r() * 400)} method=GET path=${PATHS[i % PATHS.length]} status=${level === 'error' ? 500 : 200} duration=${ms}ms traceID=${Math.floor(r() * 1e12).toString(16)} msg="request served"`;
}

function jsonLine(r: () => number, i: number): string {
  const level = LEVELS[Math.floor(r() * LEVELS.length)] as string;
  return JSON.stringify({ ts: `2024-05-01T10:00:${String(i % 60).padStart(2, '0')}Z`, level, caller: 'handler.go:120', method: 'GET', path: PATHS[i % PATHS.length], status: level === 'error' ? 500 : 200, duration_ms: Math.floor(r() * 2000), user: { id: i % 977, region: 'eu-west-1' } });
}

interface Block {
  readonly text: Buffer;
  readonly bounds: Uint32Array;
  readonly count: number;
}

function makeBlocks(lines: string[], blockBytes: number): Block[] {
  const blocks: Block[] = [];
  let cur: Buffer[] = [];
  let size = 0;
  const flush = (): void => {
    const bounds = new Uint32Array(cur.length + 1);
    for (let i = 0; i < cur.length; i++) bounds[i + 1] = (bounds[i] as number) + (cur[i] as Buffer).length;
    blocks.push({ text: Buffer.concat(cur), bounds, count: cur.length });
    cur = [];
    size = 0;
  };
  for (const l of lines) {
    const b = Buffer.from(l);
    cur.push(b);
    size += b.length;
    if (size >= blockBytes) flush();
  }
  if (cur.length > 0) flush();
  return blocks;
}

const STREAM = [{ name: 'app', value: 'api' }];

async function lineFilterFigure(): Promise<BenchFigure> {
  const r = seededRandom(1);
  const lines = Array.from({ length: 200_000 }, (_, i) => (i % 100 === 7 ? logfmtLine(r, i).replace('request served', 'request timeout') : logfmtLine(r, i)));
  const blocks = makeBlocks(lines, 256 * 1024);
  const bytes = blocks.reduce((n, b) => n + b.text.length, 0);
  const p = compileLogPipeline(parseExpr('{app="api"} |= "timeout"') as LogSelectorExpr);
  let hits = 0;
  const t = await timeIt(() => {
    for (const b of blocks) hits += p.selectLines(b.text, b.bounds, b.count).length;
    return hits;
  }, 1500);
  const needle = Buffer.from('timeout');
  const ref = await timeIt(() => {
    let n = 0;
    for (const b of blocks) for (let at = b.text.indexOf(needle); at >= 0; at = b.text.indexOf(needle, at + 1)) n++;
    return n;
  }, 1500);
  return {
    name: '{…} |= "literal" over 256 KiB blocks (1% of lines match)',
    figure: rate('selectLines', mbPerSecond(t, bytes) / 1000, 'GB/s'),
    reference: rate('Buffer.indexOf scan of the same bytes', mbPerSecond(ref, bytes) / 1000, 'GB/s'),
    note: `${(bytes / 1e6).toFixed(1)} MB per pass`,
  };
}

/** Lines/s of a log pipeline over `lines`, beside `reference` (counting what it returns) over the same lines. */
async function pipelineFigure(query: string, lines: readonly Buffer[], refLabel: string, reference: (line: Buffer) => number): Promise<BenchFigure> {
  const sp = compileLogPipeline(parseExpr(query) as LogSelectorExpr).forStream(STREAM);
  const t = await timeIt(() => {
    let n = 0;
    for (const l of lines) if (sp.process(0n, l, []) !== null) n++;
    return n;
  }, 1500);
  const ref = await timeIt(() => {
    let n = 0;
    for (const l of lines) n += reference(l);
    return n;
  }, 1500);
  return {
    name: query.slice(query.indexOf('}') + 2),
    figure: rate('pipeline', perSecond(t, lines.length), 'lines/s'),
    reference: rate(refLabel, perSecond(ref, lines.length), 'lines/s'),
  };
}

function jsonFigure(): Promise<BenchFigure> {
  const r = seededRandom(2);
  const lines = Array.from({ length: 50_000 }, (_, i) => Buffer.from(jsonLine(r, i)));
  return pipelineFigure('{app="api"} | json | level="error"', lines, 'JSON.parse of the same lines',
    (l) => ((JSON.parse(l.toString('utf8')) as { level: string }).level === 'error' ? 1 : 0));
}

function logfmtFigure(): Promise<BenchFigure> {
  const r = seededRandom(3);
  const lines = Array.from({ length: 50_000 }, (_, i) => Buffer.from(logfmtLine(r, i)));
  return pipelineFigure('{app="api"} | logfmt | duration > 1s', lines, 'decode + split(" ") of the same lines', (l) => l.toString('utf8').split(' ').length);
}

async function metricFigure(): Promise<BenchFigure> {
  const r = seededRandom(4);
  const n = 1_000_000;
  const distinct = Array.from({ length: 5000 }, (_, i) => Buffer.from(logfmtLine(r, i)));
  const S = 1_000_000_000n;
  const startNs = 1_700_000_000n * S;
  const spanNs = 3600n * S;
  const ts = Array.from({ length: n }, (_, i) => startNs + (BigInt(i) * spanNs) / BigInt(n));
  const expr = parseExpr('sum by (level) (count_over_time({app="api"} | logfmt [1m]))') as SampleExpr;
  const t = await timeIt(() => {
    const ev = createMetricEvaluator(expr, { startNs, endNs: startNs + spanNs, stepNs: 15n * S });
    for (let i = 0; i < n; i++) ev.push(0, STREAM, ts[i] as bigint, distinct[i % distinct.length] as Buffer, []);
    return ev.finish();
  }, 1000);
  const ref = await decodeReference(distinct, n);
  return {
    name: 'sum by (level)(count_over_time({…} | logfmt [1m])), 1M lines, 1h at 15s steps',
    figure: rate('evaluator', perSecond(t, n), 'samples/s'),
    reference: rate('Buffer.toString of the same lines', perSecond(ref, n), 'samples/s'),
  };
}

/** Time of the same-run reference: `Buffer.toString` of `n` lines cycling through `distinct`. */
function decodeReference(distinct: readonly Buffer[], n: number): ReturnType<typeof timeIt> {
  return timeIt(() => {
    let len = 0;
    for (let i = 0; i < n; i++) len += (distinct[i % distinct.length] as Buffer).toString('utf8').length;
    return len;
  }, 1000);
}

/** Samples/s of a float range aggregation over 1M lines split across `streams` streams, pushed stream by stream as the engine does. */
async function floatMetricFigure(streams: number): Promise<BenchFigure> {
  const r = seededRandom(5);
  const n = 1_000_000;
  const distinct = Array.from({ length: 5000 }, (_, i) => Buffer.from(logfmtLine(r, i)));
  const S = 1_000_000_000n;
  const startNs = 1_700_000_000n * S;
  const spanNs = 3600n * S;
  const ts = Array.from({ length: n }, (_, i) => startNs + (BigInt(i) * spanNs) / BigInt(n));
  const labels = Array.from({ length: streams }, (_, s) => [{ name: 'app', value: 'api' }, { name: 'pod', value: `pod-${s}` }]);
  const expr = parseExpr('avg_over_time({app="api"} | logfmt | unwrap duration(duration) [1m]) by (level)') as SampleExpr;
  const t = await timeIt(() => {
    const ev = createMetricEvaluator(expr, { startNs, endNs: startNs + spanNs, stepNs: 15n * S });
    for (let s = 0; s < streams; s++) {
      const lbs = labels[s] as typeof STREAM;
      for (let i = s; i < n; i += streams) ev.push(0, lbs, ts[i] as bigint, distinct[i % distinct.length] as Buffer, []);
    }
    return ev.finish();
  }, 1000);
  const ref = await decodeReference(distinct, n);
  return {
    name: `avg_over_time({…} | logfmt | unwrap duration(duration) [1m]) by (level), 1M lines from ${streams === 1 ? 'one stream' : `${streams} streams`}, 1h at 15s steps`,
    figure: rate('evaluator', perSecond(t, n), 'samples/s'),
    reference: rate('Buffer.toString of the same lines', perSecond(ref, n), 'samples/s'),
  };
}

/** Lines shaped as ../shared/bench/loadgen.mjs makes them: logfmt, JSON and access-log lines in turn. */
function loadgenLine(r: () => number, i: number): string {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
  const users = ['alice', 'bob', 'carol', 'dave', 'erin'];
  const paths = ['/api/v1/orders', '/login', '/search?q=shoes', '/cart', '/health'];
  if (i % 3 === 0) {
    return `ts=2026-01-01T00:00:00Z level=${pick(['info', 'warn', 'error'])} caller=server.go:${Math.floor(r() * 900)} method=${pick(['GET', 'POST'])} path=${pick(paths)} status=${pick([200, 201, 404, 500])} duration=${Math.floor(r() * 2000)}ms user=${pick(users)} trace_id=${Math.floor(r() * 1e12).toString(16)}`;
  }
  if (i % 3 === 1) {
    return JSON.stringify({ level: pick(['info', 'warn']), msg: 'request served', status: pick([200, 500]), latency_ms: Math.floor(r() * 3000), user: { id: Math.floor(r() * 1e6), name: pick(users) }, path: pick(paths), bytes: Math.floor(r() * 1e5) });
  }
  return `10.${Math.floor(r() * 255)}.${Math.floor(r() * 255)}.${Math.floor(r() * 255)} - - [01/Jan/2026:00:00:00 +0000] "GET ${pick(paths)} HTTP/1.1" ${pick([200, 304, 404])} ${Math.floor(r() * 50_000)} "-" "Mozilla/5.0 (X11; Linux x86_64)"`;
}

/** Samples/s of `query` over 1M loadgen-shaped lines in 2000-line blocks, each entry with a detected_level (one shared list per level, as decoded blocks share them). */
async function blockMetricFigure(name: string, query: string): Promise<BenchFigure> {
  const r = seededRandom(6);
  const n = 1_000_000;
  const perBlock = 2000;
  const distinct = Array.from({ length: 4096 }, (_, i) => loadgenLine(r, i));
  const smOf = new Map<string, { name: string; value: string }[]>();
  const S = 1_000_000_000n;
  const startNs = 1_700_000_000n * S;
  const spanNs = 3600n * S;
  const blocks = Array.from({ length: n / perBlock }, (_, b) => {
    const lines = Array.from({ length: perBlock }, (_, k) => distinct[(b * perBlock + k) & 4095] as string);
    const { text, bounds } = makeBlocks(lines, Infinity)[0] as Block;
    const sm = lines.map((l) => {
      const level = /level\W{1,3}(\w+)/.exec(l)?.[1] ?? 'unknown';
      if (!smOf.has(level)) smOf.set(level, [{ name: 'detected_level', value: level }]);
      return smOf.get(level) as { name: string; value: string }[];
    });
    const tsNs = Array.from({ length: perBlock }, (_, k) => startNs + (BigInt(b * perBlock + k) * spanNs) / BigInt(n));
    return { tsNs, text, bounds, hasStructuredMetadata: true, structuredMetadata: (i: number) => sm[i] ?? [] };
  });
  const expr = parseExpr(query) as SampleExpr;
  const t = await timeIt(() => {
    const ev = createMetricEvaluator(expr, { startNs, endNs: startNs + spanNs, stepNs: 60n * S });
    const pusher = ev.pusher(0, STREAM);
    for (const b of blocks) pusher.pushRun(b, 0, perBlock);
    return ev.finish();
  }, 1000);
  const ref = await decodeReference(distinct.map((l) => Buffer.from(l)), n);
  return {
    name: `${name}, 1M loadgen lines in blocks, 1h at 60s steps`,
    figure: rate('evaluator', perSecond(t, n), 'samples/s'),
    reference: rate('Buffer.toString of the same lines', perSecond(ref, n), 'samples/s'),
  };
}

/** The LogQL benchmark suite. */
export const suite: BenchSuite = {
  name: 'logql',
  async run() {
    return [
      await lineFilterFigure(), await jsonFigure(), await logfmtFigure(), await metricFigure(), await floatMetricFigure(1), await floatMetricFigure(4),
      await blockMetricFigure('sum by (level) (rate({…} | logfmt | duration > 1s [1m]))', 'sum by (level) (rate({app="api"} | logfmt | duration > 1s [1m]))'),
      await blockMetricFigure('sum(count_over_time({…} | json | status=500 [5m]))', 'sum(count_over_time({app="api"} | json | status=500 [5m]))'),
    ];
  },
};
