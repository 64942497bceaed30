/**
 * The patterns of one stream, as Loki's pattern ingester stream (`L:pkg/pattern/stream.go`): one
 * Drain per `detected_level` (structured metadata, lower-cased; levels Loki does not know count as
 * `unknown`), the tokenizer chosen by the stream's first line, entries older than the newest one
 * taken skipped. Pure; the wall clock is an argument.
 */
import type { Label } from '../../schemas/labels/index.js';
import { Drain, type DrainConfig } from './drain.js';
import { detectLogFormat, tokenizerFor, type LineTokenizer } from './drain-tokenizers.js';
import type { PatternSample } from './pattern-samples.js';

/** A detected level Loki knows (`L:pkg/util/constants/levels.go`), as written, or null. */
function knownLevel(v: string): string | null {
  switch (v) {
    case 'info': case 'warn': case 'error': case 'debug': case 'unknown': case 'fatal': case 'critical': case 'trace':
      return v;
    default:
      return null;
  }
}

/** What pattern detection is built with. */
export interface PatternSettings extends DrainConfig {
  readonly maxAllowedLineLength: number;
  /** JSON fields tokenized, in order (the tenant's pattern_ingester_tokenizable_json_fields). */
  readonly jsonFields: readonly string[];
}

/** One pattern's samples in a query's range. */
export interface PatternSeries {
  readonly pattern: string;
  readonly level: string;
  readonly samples: PatternSample[];
}

function levelOf(metadata: readonly Label[]): string {
  for (let i = 0; i < metadata.length; i++) {
    const l = metadata[i] as Label;
    if (l.name !== 'detected_level') continue;
    return knownLevel(l.value) ?? knownLevel(l.value.toLowerCase()) ?? 'unknown';
  }
  return 'unknown';
}

/** A stream's Drains. */
export class StreamPatterns {
  private readonly drains = new Map<string, Drain>();
  private tokenizer: LineTokenizer | null = null;
  private lastTsNs = -1n;

  constructor(private readonly settings: PatternSettings) {}

  /** Take one entry. */
  train(tsNs: bigint, line: string, metadata: readonly Label[], nowMs: number): void {
    if (tsNs < this.lastTsNs) return;
    this.lastTsNs = tsNs;
    this.tokenizer ??= tokenizerFor(detectLogFormat(line), this.settings.maxAllowedLineLength, this.settings.jsonFields);
    const level = levelOf(metadata);
    let drain = this.drains.get(level);
    if (drain === undefined) this.drains.set(level, (drain = new Drain(this.settings, this.tokenizer)));
    drain.train(line, Number(tsNs / 1_000_000n), nowMs);
  }

  /** Each pattern's samples in [fromMs, throughMs), by `stepMs` buckets. */
  series(fromMs: number, throughMs: number, stepMs: number): PatternSeries[] {
    const out: PatternSeries[] = [];
    for (const [level, drain] of this.drains) {
      for (const c of drain.all()) {
        const pattern = c.pattern();
        if (pattern === '') continue;
        const samples = c.samples.range(fromMs, throughMs, stepMs);
        if (samples.length > 0) out.push({ pattern, level, samples });
      }
    }
    return out;
  }

  /** Drop samples older than `retainMs` and patterns left without any; true when the stream has none left. */
  prune(nowMs: number, retainMs: number): boolean {
    let left = 0;
    for (const drain of this.drains.values()) {
      for (const c of drain.all()) if (c.samples.prune(nowMs, retainMs)) drain.delete(c);
      drain.pruneTree();
      left += drain.size;
    }
    return left === 0;
  }
}
