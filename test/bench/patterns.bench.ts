/**
 * Pattern detection throughput: Drain trained over the benchmark corpus (100 streams, 50 lines per
 * stream per batch, as a partition's records reach an ingester), in MB/s of line text, beside a
 * same-run native reference over the same lines: UTF-8 decoding plus `String.prototype.split` at
 * spaces, the least any tokenizer does.
 */
import { DRAIN_DEFAULTS, PartitionPatterns } from '../../consumers/patterns/index.js';
import type { PushEntry } from '../../schemas/record/index.js';
import { corpusLines } from './corpus.js';
import { mbPerSecond, perSecond, rate, timeIt, type BenchSuite } from './harness.js';

const STREAMS = 100;
const LINES = 100_000;
const BATCH = 50;
const JSON_FIELDS = ['log', 'message', 'msg', 'msg_', '_msg', 'content'];

export const suite: BenchSuite = {
  name: 'patterns',
  async run() {
    const encoder = new TextEncoder();
    const lines = corpusLines(LINES, 11).map((l) => encoder.encode(l));
    const bytes = lines.reduce((n, l) => n + l.length, 0);
    const patterns = new PartitionPatterns(() => ({ ...DRAIN_DEFAULTS, maxAllowedLineLength: 3000, jsonFields: JSON_FIELDS }));
    let tsNs = BigInt(Date.now()) * 1_000_000n;
    const train = (): number => {
      const nowMs = Date.now();
      for (let off = 0; off < lines.length; off += BATCH * STREAMS) {
        for (let s = 0; s < STREAMS; s++) {
          const entries: PushEntry[] = [];
          for (let i = off + s; i < Math.min(off + BATCH * STREAMS, lines.length); i += STREAMS) {
            entries.push({ tsNs: ++tsNs, line: lines[i] as Uint8Array, structuredMetadata: [] });
          }
          patterns.train('bench', [{ name: 'app', value: `a${s}` }], `{app="a${s}"}`, entries, nowMs);
        }
      }
      return patterns.streamCount;
    };
    const decoder = new TextDecoder();
    const split = (): number => {
      let tokens = 0;
      for (const l of lines) tokens += decoder.decode(l).split(' ').length;
      return tokens;
    };
    const t = await timeIt(train, 3000);
    const ref = await timeIt(split, 1000);
    return [{
      name: `Drain training, ${STREAMS} streams, ${LINES} corpus lines`,
      figure: rate('PartitionPatterns.train', mbPerSecond(t, bytes), 'MB/s'),
      reference: rate('TextDecoder + split(" ")', mbPerSecond(ref, bytes), 'MB/s'),
      note: `${Math.round(perSecond(t, LINES) / 1000)}k lines/s`,
    }];
  },
};
