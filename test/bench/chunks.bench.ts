/**
 * Chunk benchmarks, each beside a same-run reference on the same bytes: building a chunk (append,
 * block cut, compress, encode) vs raw zstd compression of the same log text in block-sized pieces;
 * decoding blocks (CRC, decompress, columnar decode, no per-line strings) vs raw zstd decompression
 * of the same blocks; compression ratio per codec vs that codec on the whole text at once; and the
 * native zstd binding beside the WebAssembly build; CRC-32C of the same blocks as the process runs
 * it (native where the addon loads) beside the JavaScript fallback.
 */
import { gzipCodec, installNativeCrc32c, loadZstdNative, loadZstdWasm, noneCodec, snappyCodec } from '../../platform/codecs/index.js';
import type { Codec } from '../../schemas/index.js';
import { DEFAULT_BLOCK_SIZE_BYTES, StreamChunk, type CutChunk } from '../../consumers/ingester/index.js';
import { crc32c, crc32cImplementation, crc32cJs, fnv1a64Hex } from '../../schemas/wire/index.js';
import {
  decodeBlock, decodeBlockPayload, decodeChunkHeader, readBlockTable, blockBytes,
} from '../../schemas/chunk/index.js';
import type { PushEntry } from '../../schemas/record/index.js';
import { corpusLines } from './corpus.js';
import { mbPerSecond, rate, timeIt, type BenchFigure, type BenchSuite } from './harness.js';

const LINES = 40_000;
const T = 1_714_564_800_000_000_000n;
const LABELS = '{app="checkout", env="prod"}';

function corpusEntries(): { entries: PushEntry[]; text: Uint8Array } {
  const utf8 = new TextEncoder();
  const lines = corpusLines(LINES, 11);
  // One entry a millisecond; every 50th arrives 20 ms late (out of order inside the window).
  const entries = lines.map((l, i) => ({ tsNs: T + BigInt(i % 50 === 49 ? i - 20 : i) * 1_000_000n, line: utf8.encode(l), structuredMetadata: i % 10 === 0 ? [{ name: 'trace_id', value: (i * 7919).toString(16) }] : [] }));
  const text = Buffer.concat(entries.map((e) => e.line));
  return { entries, text };
}

function build(entries: readonly PushEntry[], codec: Codec): CutChunk {
  const sc = new StreamChunk({ tenant: 'bench', labels: LABELS, fingerprint: fnv1a64Hex(LABELS), codec, blockSizeBytes: DEFAULT_BLOCK_SIZE_BYTES });
  for (let i = 0; i < entries.length; i++) sc.append(entries[i] as PushEntry, i);
  return sc.cut();
}

function pieces(data: Uint8Array, size: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let at = 0; at < data.length; at += size) out.push(data.subarray(at, at + size));
  return out;
}

function blocksOf(chunk: CutChunk): Array<{ compressed: Uint8Array; ref: ReturnType<typeof readBlockTable>[number] }> {
  const header = decodeChunkHeader(chunk.bytes);
  return readBlockTable(chunk.bytes, header).map((ref) => ({ compressed: blockBytes(chunk.bytes, ref), ref }));
}

async function zstdFigures(codec: Codec, entries: readonly PushEntry[], text: Uint8Array): Promise<{ figures: BenchFigure[]; buildMBs: number; decodeMBs: number }> {
  const impl = codec.implementation;
  const build1 = await timeIt(() => build(entries, codec), 1500);
  const textPieces = pieces(text, DEFAULT_BLOCK_SIZE_BYTES);
  const raw = await timeIt(() => textPieces.map((p) => codec.compress(p)), 1500);
  const buildMBs = mbPerSecond(build1, text.length);
  const chunk = build(entries, codec);
  const blocks = blocksOf(chunk);
  const uncompressed = blocks.reduce((s, b) => s + b.ref.uncompressedBytes, 0);
  const decode = await timeIt(() => blocks.map((b) => decodeBlock(b.compressed, codec, b.ref)), 1500);
  const rawDecode = await timeIt(() => blocks.map((b) => codec.decompress(b.compressed, b.ref.uncompressedBytes)), 1500);
  const decodeMBs = mbPerSecond(decode, uncompressed);
  const figures: BenchFigure[] = [
    {
      name: `chunk build (append + cut + compress), ${impl}`,
      figure: rate('log text appended and cut into a zstd chunk', buildMBs, 'MB/s'),
      reference: rate(`raw zstd compress (${impl}) of the same text in 256 KiB pieces`, mbPerSecond(raw, text.length), 'MB/s'),
      note: `${entries.length} lines, ${(text.length / 1e6).toFixed(1)} MB, ${chunk.header.blockCount} blocks`,
    },
    {
      name: `block decode (CRC + decompress + columnar), ${impl}`,
      figure: rate('blocks decoded to text/bounds/tsNs', decodeMBs, 'MB/s'),
      reference: rate(`raw zstd decompress (${impl}) of the same blocks`, mbPerSecond(rawDecode, uncompressed), 'MB/s'),
      note: 'MB of uncompressed block layout',
    },
  ];
  return { figures, buildMBs, decodeMBs };
}

async function ratioFigure(codec: Codec, entries: readonly PushEntry[], text: Uint8Array): Promise<BenchFigure> {
  const chunk = build(entries, codec);
  const whole = codec.compress(text);
  return {
    name: `compression ratio, ${codec.implementation}`,
    figure: rate('chunk bytes per kB of log text', (1000 * chunk.bytes.length) / text.length, 'B/kB'),
    reference: rate(`${codec.encoding} of the whole text at once`, (1000 * whole.length) / text.length, 'B/kB'),
    note: `${chunk.bytes.length} chunk bytes for ${text.length} text bytes`,
  };
}

/** The chunk benchmark suite. */
export const suite: BenchSuite = {
  name: 'chunks',
  async run(): Promise<BenchFigure[]> {
    installNativeCrc32c();
    const { entries, text } = corpusEntries();
    const wasm = await loadZstdWasm(3);
    const native = loadZstdNative(3);
    const figures: BenchFigure[] = [];
    const nat = native === null ? null : await zstdFigures(native, entries, text);
    const was = await zstdFigures(wasm, entries, text);
    if (nat) figures.push(...nat.figures);
    figures.push(...was.figures);

    // Columnar decode alone (no decompression), beside copying the same bytes.
    const payloads = blocksOf(build(entries, noneCodec())).map((b) => b.compressed);
    const payloadBytes = payloads.reduce((s, p) => s + p.length, 0);
    const columnar = await timeIt(() => payloads.map((p) => decodeBlockPayload(p)), 1500);
    const copy = await timeIt(() => payloads.map((p) => p.slice()), 1500);
    figures.push({
      name: 'block layout decode only (no codec)',
      figure: rate('uncompressed blocks decoded to text/bounds/tsNs', mbPerSecond(columnar, payloadBytes), 'MB/s'),
      reference: rate('copying the same bytes', mbPerSecond(copy, payloadBytes), 'MB/s'),
    });

    const textPieces = pieces(text, DEFAULT_BLOCK_SIZE_BYTES);
    const crc = await timeIt(() => textPieces.reduce((n, p) => n ^ crc32c(p), 0), 1000);
    const crcJs = await timeIt(() => textPieces.reduce((n, p) => n ^ crc32cJs(p), 0), 1000);
    figures.push({
      name: `CRC-32C of 256 KiB blocks, ${crc32cImplementation()}`,
      figure: rate('crc32c as the process runs it', mbPerSecond(crc, text.length), 'MB/s'),
      reference: rate('the JavaScript slicing-by-8 fallback', mbPerSecond(crcJs, text.length), 'MB/s'),
    });

    for (const codec of [native ?? wasm, gzipCodec(), snappyCodec()]) figures.push(await ratioFigure(codec, entries, text));

    if (nat) {
      figures.push({
        name: 'zstd native vs WASM: chunk build',
        figure: rate('zstd-napi (native)', nat.buildMBs, 'MB/s'),
        reference: rate('zstd-codec (wasm)', was.buildMBs, 'MB/s'),
      });
      figures.push({
        name: 'zstd native vs WASM: block decode',
        figure: rate('zstd-napi (native)', nat.decodeMBs, 'MB/s'),
        reference: rate('zstd-codec (wasm)', was.decodeMBs, 'MB/s'),
      });
    }
    return figures;
  },
};
