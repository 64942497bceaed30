/**
 * Query speed on a store of over 1 GB of log text (24 hours, 50 streams), served by a `fjord
 * -target=read` process over HTTP:
 * - a filter query that scans everything (a needle that never matches), cold and with a warm chunk
 *   cache: scanned GB/s and p50/p99 latency, beside the same-run raw zstd decompression + indexOf
 *   over the same blocks in one core;
 * - a Grafana dashboard load: 10 concurrent `sum by (level) (rate({…}[1m]))` over 24h at 1m step,
 *   p50/p99 without and with the results cache, and with its one-hour pieces (about 45 MB each)
 *   sharded by stream on the one process.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FilesystemStore, loadCodecs } from '../../platform/index.js';
import type { CodecSet } from '../../schemas/index.js';
import { StreamChunk } from '../../consumers/ingester/index.js';
import { fnv1a64Hex } from '../../schemas/wire/index.js';
import {
  blockBytes, chunkBlocksOverlapping, decodeBlock, decodeChunkHeader, readBlockTable,
} from '../../schemas/chunk/index.js';
import {
  chunkRefOf, encodeIndexBundle, indexBundleKey, indexPeriodsOverlapping, type ChunkRef, type SeriesEntry,
} from '../../schemas/index/index.js';
import { freePort } from '../helpers/fjord-process.js';
import { corpusLines } from './corpus.js';
import { percentile, rate, type BenchFigure, type BenchSuite } from './harness.js';

const STREAMS = 50;
const TARGET_BYTES = 1.05e9;
const HOUR_NS = 3_600_000_000_000n;
const fjordJs = fileURLToPath(new URL('../../fjord.js', import.meta.url));

/** Write the dataset into a filesystem store: chunks and one index bundle per period. */
export async function buildStore(dir: string, codecs: CodecSet, endNs: bigint): Promise<{ textBytes: number; lines: number }> {
  const store = new FilesystemStore(join(dir, 'store'));
  await store.start();
  const startNs = endNs - 24n * HOUR_NS;
  const pool = corpusLines(200_000, 11).map((l) => Buffer.from(l));
  const avg = pool.reduce((n, l) => n + l.length, 0) / pool.length;
  const perStream = Math.ceil(TARGET_BYTES / avg / STREAMS);
  const stepNs = (24n * HOUR_NS) / BigInt(perStream);
  const refs = new Map<number, { series: SeriesEntry[]; chunks: ChunkRef[] }>();
  let textBytes = 0;
  let lines = 0;
  for (let s = 0; s < STREAMS; s++) {
    const level = ['info', 'warn', 'error'][s % 3] as string;
    const labelsText = `{app="app-${s}", env="prod", level="${level}", service_name="app-${s}"}`;
    const labels = [{ name: 'app', value: `app-${s}` }, { name: 'env', value: 'prod' }, { name: 'level', value: level }, { name: 'service_name', value: `app-${s}` }];
    const fingerprint = fnv1a64Hex(labelsText);
    const chunk = new StreamChunk({ tenant: 'fake', labels: labelsText, fingerprint, codec: codecs.zstd, blockSizeBytes: 262_144 });
    const flush = async () => {
      const cut = chunk.cut();
      await store.put(cut.key, cut.bytes);
      for (const period of indexPeriodsOverlapping(cut.header.fromNs, cut.header.throughNs)) {
        const p = refs.get(period) ?? { series: [], chunks: [] };
        if (!p.series.some((x) => x.fingerprint === fingerprint)) p.series.push({ fingerprint, labels });
        p.chunks.push(chunkRefOf(cut.header, cut.checksum, cut.bytes.length));
        refs.set(period, p);
      }
    };
    for (let i = 0; i < perStream; i++) {
      const line = pool[(i * 7 + s * 13) % pool.length] as Buffer;
      chunk.append({ tsNs: startNs + BigInt(i) * stepNs + BigInt(s), line, structuredMetadata: [] }, 0);
      textBytes += line.length;
      lines++;
      if (chunk.compressedBytes >= 1_572_864) await flush();
    }
    if (!chunk.isEmpty) await flush();
  }
  for (const [period, p] of refs) {
    await store.put(indexBundleKey({ period, tenant: 'fake', bundleId: 'bench' }), encodeIndexBundle({ period, tenant: 'fake', series: p.series, chunks: p.chunks }));
  }
  return { textBytes, lines };
}

/** One core: decompress every block of every chunk and search it with Buffer.indexOf. */
export async function rawScan(dir: string, codecs: CodecSet): Promise<{ seconds: number; bytes: number }> {
  const files: string[] = [];
  const walk = async (d: string): Promise<void> => {
    for (const e of await readdir(d, { withFileTypes: true })) {
      if (e.isDirectory()) await walk(join(d, e.name));
      else files.push(join(d, e.name));
    }
  };
  await walk(join(dir, 'store', 'fake', 'chunks'));
  const chunks = await Promise.all(files.map((f) => readFile(f)));
  const needle = Buffer.from('needle-that-never-appears');
  const t0 = performance.now();
  let bytes = 0;
  for (const c of chunks) {
    const header = decodeChunkHeader(c);
    for (const b of chunkBlocksOverlapping(readBlockTable(c, header), -(1n << 62n), 1n << 62n)) {
      const block = decodeBlock(blockBytes(c, b), codecs[header.encoding], b);
      bytes += block.text.length;
      if (block.text.indexOf(needle) >= 0) throw new Error('found the needle');
    }
  }
  return { seconds: (performance.now() - t0) / 1000, bytes };
}

async function startReader(dir: string, extra: string[]): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn(process.execPath, [
    fjordJs, '-target=read', '-auth.enabled=false', `-server.http-listen-port=${port}`, '-server.http-listen-address=127.0.0.1',
    `-common.path-prefix=${dir}`, '-store.chunks-cache.embedded-cache.max-size-mb=2048', '-querier.max-query-series=100000', ...extra,
  ], { stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 600; i++) {
    if ((await fetch(`${url}/ready`).catch(() => null))?.status === 200) return { url, child };
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('reader not ready');
}

async function stop(child: ChildProcess): Promise<void> {
  child.kill('SIGTERM');
  await new Promise((r) => child.on('exit', r));
}

async function timed(url: string, path: string, params: Record<string, string>): Promise<{ ms: number; body: { data: { stats: { summary: { totalBytesProcessed: number; splits: number; shards: number } } } } }> {
  const t0 = performance.now();
  const res = await fetch(`${url}${path}?${new URLSearchParams(params)}`);
  const text = await res.text();
  if (res.status !== 200) throw new Error(`${path}: ${res.status} ${text.slice(0, 200)}`);
  return { ms: performance.now() - t0, body: JSON.parse(text) };
}

export const suite: BenchSuite = {
  name: 'query',
  async run() {
    const codecs = await loadCodecs();
    const dir = await mkdtemp(join(tmpdir(), 'fjord-bench-query-'));
    try {
      const endNs = (BigInt(Date.now()) * 1_000_000n) - 10n * 60_000_000_000n;
      console.error('   building the store…');
      const { textBytes, lines } = await buildStore(dir, codecs, endNs);
      console.error(`   ${(textBytes / 1e9).toFixed(2)} GB of text, ${lines.toLocaleString('en')} lines`);
      const raw = await rawScan(dir, codecs);
      const reference = rate('raw zstd decompress + indexOf of the same blocks, one core', raw.bytes / 1e9 / raw.seconds, 'GB/s');
      const out: BenchFigure[] = [];
      const range = { start: String(endNs - 24n * HOUR_NS), end: String(endNs + 1n) };
      const filter = { query: '{env="prod"} |= "needle-that-never-appears"', limit: '100', ...range };

      const reader = await startReader(dir, []);
      try {
        const cold = await timed(reader.url, '/loki/api/v1/query_range', filter);
        const scanned = cold.body.data.stats.summary.totalBytesProcessed;
        out.push({ name: 'filter query over the whole store, cold caches', figure: rate('scanned', scanned / 1e9 / (cold.ms / 1000), 'GB/s'), reference, note: `${(scanned / 1e9).toFixed(2)} GB scanned in ${(cold.ms / 1000).toFixed(2)} s` });
        const warm: number[] = [];
        for (let i = 0; i < 6; i++) warm.push((await timed(reader.url, '/loki/api/v1/query_range', filter)).ms);
        out.push({
          name: 'filter query over the whole store, warm chunk cache',
          figure: rate('scanned', scanned / 1e9 / (percentile(warm, 50) / 1000), 'GB/s'),
          reference,
          note: `p50 ${(percentile(warm, 50) / 1000).toFixed(2)} s, p99 ${(percentile(warm, 99) / 1000).toFixed(2)} s (target: under 2 s)`,
        });
      } finally {
        await stop(reader.child);
      }

      const dashboard = { query: 'sum by (level) (rate({env="prod"}[1m]))', step: '60', ...range };
      const variants = [
        { name: 'results cache off', flags: [] },
        { name: 'results cache on', flags: ['-querier.cache-results=true'] },
        { name: 'sharded (tsdb_max_bytes_per_shard 16MB), results cache off', flags: ['-querier.tsdb-max-bytes-per-shard=16MB'] },
      ];
      for (const v of variants) {
        const r = await startReader(dir, v.flags);
        try {
          const latencies: number[] = [];
          let shards = '';
          for (let round = 0; round < 3; round++) {
            const results = await Promise.all(Array.from({ length: 10 }, () => timed(r.url, '/loki/api/v1/query_range', dashboard)));
            latencies.push(...results.map((x) => x.ms));
            const summary = results[0]?.body.data.stats.summary;
            if (round === 0 && summary !== undefined && summary.shards > 0) shards = `, ${summary.shards} shard pieces for ${summary.splits} splits`;
          }
          out.push({
            name: `dashboard: 10 concurrent sum by (level) (rate([1m])) over 24h at 1m step, ${v.name}`,
            figure: rate('p50', percentile(latencies, 50), 'ms'),
            reference: rate('p99', percentile(latencies, 99), 'ms'),
            note: `3 rounds of 10 concurrent queries${shards}`,
          });
        } finally {
          await stop(r.child);
        }
      }
      return out;
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
};
