/** When a chunk is cut (Loki's shouldFlushChunk) and when an entry is too far behind (Loki's unordered-writes window). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cutReason, isTooFarBehind, type ChunkStats, type CutConfig } from '../../../../consumers/ingester/cut-policy.js';

const MIN_MS = 60_000;
const MS_NS = 1_000_000n;
const cfg: CutConfig = { chunk_target_size: 1_572_864, max_chunk_age: 120 * MIN_MS, chunk_idle_period: 30 * MIN_MS };

function stats(over: Partial<ChunkStats> = {}): ChunkStats {
  return { compressedBytes: 1000, entries: 10, minTsNs: 0n, maxTsNs: 0n, lastAppendMs: 0, ...over };
}

const cuts = [
  { name: 'fresh and small', stats: stats(), nowMs: 1_000, want: null },
  { name: 'empty chunk is never cut, even idle and over size', stats: stats({ entries: 0, compressedBytes: 2_000_000 }), nowMs: 60 * MIN_MS, want: null },
  { name: 'one byte under the target', stats: stats({ compressedBytes: 1_572_863 }), nowMs: 0, want: null },
  { name: 'at the target size: full', stats: stats({ compressedBytes: 1_572_864 }), nowMs: 0, want: 'full' },
  { name: 'just under the idle period', stats: stats({ lastAppendMs: 1_000 }), nowMs: 1_000 + 30 * MIN_MS - 1, want: null },
  { name: 'at the idle period: idle', stats: stats({ lastAppendMs: 1_000 }), nowMs: 1_000 + 30 * MIN_MS, want: 'idle' },
  { name: 'entries spanning exactly max_chunk_age', stats: stats({ minTsNs: 0n, maxTsNs: 120n * 60_000n * MS_NS }), nowMs: 0, want: null },
  { name: 'entries spanning more than max_chunk_age: max_age', stats: stats({ minTsNs: 0n, maxTsNs: 120n * 60_000n * MS_NS + 1n }), nowMs: 0, want: 'max_age' },
  { name: 'full wins over idle and max_age', stats: stats({ compressedBytes: 2_000_000, maxTsNs: 1n << 60n }), nowMs: 60 * MIN_MS, want: 'full' },
  { name: 'idle wins over max_age', stats: stats({ maxTsNs: 1n << 60n }), nowMs: 60 * MIN_MS, want: 'idle' },
];
for (const c of cuts) test(`cutReason: ${c.name}`, () => assert.equal(cutReason(c.stats, cfg, c.nowMs), c.want));

const newest = 10n * 3_600_000n * MS_NS; // 10h
const behind = [
  { name: 'no entry yet in the stream', tsNs: 0n, newest: null, replaying: false, want: false },
  { name: 'newer than the newest', tsNs: newest + 1n, newest, replaying: false, want: false },
  { name: 'exactly half of max_chunk_age behind', tsNs: newest - 60n * 60_000n * MS_NS, newest, replaying: false, want: false },
  { name: 'more than half of max_chunk_age behind', tsNs: newest - 60n * 60_000n * MS_NS - 1n, newest, replaying: false, want: true },
  { name: 'far behind but replaying', tsNs: 0n, newest, replaying: true, want: false },
];
for (const c of behind) test(`isTooFarBehind: ${c.name}`, () => assert.equal(isTooFarBehind(c.tsNs, c.newest, cfg.max_chunk_age, c.replaying), c.want));
