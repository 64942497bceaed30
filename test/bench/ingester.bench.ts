/**
 * The ingester's speed and footprint, per core: records (as the distributor writes them) decoded,
 * appended to per-stream chunks, cut, compressed, uploaded to a filesystem store and indexed —
 * beside raw zstd compression of the same text in 256 KiB pieces; heap bytes per active stream
 * with 10k and 100k streams; compressed bytes per original byte of the corpus.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Registry } from 'prom-client';
import { FilesystemStore, loadCodecs, silentLogger } from '../../platform/index.js';
import { LabelCache } from '../../schemas/labels/index.js';
import { Flusher, IndexWriter, LevelIndexTable, PartitionIngest, ingesterMetrics } from '../../consumers/ingester/index.js';
import type { CodecSet } from '../../schemas/index.js';
import { decodeRecord, recordKeyAndHeaders, splitIntoRecords, type PushStream } from '../../schemas/record/index.js';
import { corpusLines } from './corpus.js';
import { mbPerSecond, rate, timeIt, type BenchFigure, type BenchSuite } from './harness.js';

const STREAMS = 100;
const LINES = 200_000;
const settings = {
  chunk_block_size: 262_144, chunk_target_size: 1_572_864, max_chunk_age: 7_200_000, chunk_idle_period: 1_800_000, chunk_encoding: 'zstd' as const,
};

function records(): { values: Uint8Array[]; textBytes: number } {
  const lines = corpusLines(LINES, 7).map((l) => Buffer.from(l));
  const nowNs = BigInt(Date.now()) * 1_000_000n;
  const streams: PushStream[] = Array.from({ length: STREAMS }, (_, s) => ({ labels: `{app="app-${s}", env="prod", service_name="app-${s}"}`, entries: [] }));
  lines.forEach((line, i) => (streams[i % STREAMS]?.entries as unknown as Array<unknown>).push({ tsNs: nowNs + BigInt(i), line, structuredMetadata: [] }));
  const values: Uint8Array[] = [];
  // Records of ~50 lines per stream, as pushes of several streams arrive.
  for (let off = 0; off < LINES / STREAMS; off += 50) {
    const batch = streams.map((s) => ({ labels: s.labels, entries: s.entries.slice(off, off + 50) }));
    values.push(...splitIntoRecords(batch, 1_000_000));
  }
  return { values, textBytes: lines.reduce((n, l) => n + l.length, 0) };
}

async function throughput(codecs: CodecSet): Promise<BenchFigure[]> {
  const { values, textBytes } = records();
  const { key, headers } = recordKeyAndHeaders('bench');
  const dir = await mkdtemp(join(tmpdir(), 'fjord-bench-ingester-'));
  const store = new FilesystemStore(join(dir, 'store'));
  await store.start();
  const index = new IndexWriter(new LevelIndexTable(join(dir, 'index')), store, 'bench');
  await index.open();
  const flusher = new Flusher({ concurrent_flushes: 8, flush_op_timeout: 60_000 }, store, index, ingesterMetrics(new Registry()), silentLogger());
  let chunkBytes = 0;
  const t0 = performance.now();
  const ingest = new PartitionIngest(0, 0, settings, codecs, new LabelCache());
  values.forEach((value, offset) => {
    const { tenant, request } = decodeRecord({ key, value, headers });
    ingest.append(tenant, request, offset, Date.now(), false, []);
    if (offset % 50 === 0) flusher.enqueue(ingest.cutDue(Date.now()));
  });
  const cut = ingest.cutDue(Date.now(), 'flush');
  flusher.enqueue(cut);
  await flusher.idle();
  await index.sealAll();
  const seconds = (performance.now() - t0) / 1000;
  for await (const o of (await import('../../platform/index.js')).listAll(store, 'bench/chunks/')) chunkBytes += o.sizeBytes;
  await index.close();
  await rm(dir, { recursive: true, force: true });

  const text = Buffer.from(corpusLines(LINES, 7).join('\n'));
  const pieces: Buffer[] = [];
  for (let i = 0; i < text.length; i += 262_144) pieces.push(text.subarray(i, i + 262_144));
  const ref = await timeIt(() => pieces.reduce((n, p) => n + codecs.zstd.compress(p).length, 0), 1500);
  const reference = rate(`raw zstd compress (${codecs.zstd.implementation}), 256 KiB pieces`, mbPerSecond(ref, text.length), 'MB/s');
  return [
    {
      name: `consume → chunk → compress → ship (filesystem store), ${STREAMS} streams`,
      figure: rate('log text', textBytes / 1e6 / seconds, 'MB/s'),
      reference,
      note: `${Math.round(LINES / seconds).toLocaleString('en')} lines/s per core`,
    },
    {
      name: 'compressed chunk bytes per original byte',
      figure: rate('stored/original', chunkBytes / textBytes, 'B/B'),
      reference: rate('raw zstd of the same text in 256 KiB pieces', pieces.reduce((n, p) => n + codecs.zstd.compress(p).length, 0) / text.length, 'B/B'),
    },
  ];
}

function heapPerStream(codecs: CodecSet, streams: number): number {
  setFlagsFromString('--expose_gc');
  const gc = runInNewContext('gc') as () => void;
  const ingest = new PartitionIngest(0, 0, settings, codecs, new LabelCache(streams + 10));
  const line = Buffer.from('level=info msg="request completed" duration=0.012s status=200');
  gc();
  const before = process.memoryUsage().heapUsed;
  const nowNs = BigInt(Date.now()) * 1_000_000n;
  for (let s = 0; s < streams; s++) {
    ingest.append('bench', { streams: [{ labels: `{app="a${s % 100}", pod="p-${s}", service_name="a${s % 100}"}`, entries: [{ tsNs: nowNs, line, structuredMetadata: [] }] }] }, s, Date.now(), false, []);
  }
  gc();
  const per = (process.memoryUsage().heapUsed - before) / streams;
  if (ingest.streamCount !== streams) throw new Error('streams not held');
  return per;
}

export const suite: BenchSuite = {
  name: 'ingester',
  async run() {
    const codecs = await loadCodecs();
    const out = await throughput(codecs);
    for (const n of [10_000, 100_000]) {
      out.push({
        name: `heap per active stream, ${n.toLocaleString('en')} streams (one 60-byte entry each)`,
        figure: rate('heap', heapPerStream(codecs, n), 'B/stream'),
        reference: rate('the entry\'s line', 60, 'B/stream'),
      });
    }
    return out;
  },
};
