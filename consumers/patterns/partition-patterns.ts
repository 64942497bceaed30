/**
 * The patterns of one partition's streams in an ingester (Loki's pattern ingester instance, per
 * partition here because a partition's owner sees all of its streams). Streams are kept while they
 * have samples younger than `retain_for`, independent of their chunks. Pure.
 */
import type { Label, Labels } from '../../schemas/labels/index.js';
import type { PushEntry } from '../../schemas/record/index.js';
import { StreamPatterns, type PatternSeries, type PatternSettings } from './stream-patterns.js';

/** Equality matchers a stream's labels must all satisfy (`name=value`; value '' means absent). */
export type PatternMatchers = ReadonlyArray<readonly [name: string, value: string]>;

interface Held {
  readonly tenant: string;
  readonly labels: Labels;
  readonly labelsText: string;
  readonly patterns: StreamPatterns;
}

/** One stream's pattern series in a query's range. */
export interface StreamPatternSeries {
  readonly labels: string;
  readonly series: PatternSeries[];
}

function matches(labels: readonly Label[], matchers: PatternMatchers): boolean {
  for (const [name, value] of matchers) if ((labels.find((l) => l.name === name)?.value ?? '') !== value) return false;
  return true;
}

/** A partition's stream patterns. */
export class PartitionPatterns {
  private readonly streams = new Map<string, Held>();
  private readonly utf8 = new TextDecoder();

  constructor(private readonly settingsFor: (tenant: string) => PatternSettings) {}

  /** Take a stream's newly appended entries. */
  train(tenant: string, labels: Labels, labelsText: string, entries: readonly PushEntry[], nowMs: number): void {
    const key = `${tenant}\u0000${labelsText}`;
    let held = this.streams.get(key);
    if (held === undefined) this.streams.set(key, (held = { tenant, labels, labelsText, patterns: new StreamPatterns(this.settingsFor(tenant)) }));
    for (let i = 0; i < entries.length; i++) {
      const e = entries[i] as PushEntry;
      held.patterns.train(e.tsNs, this.utf8.decode(e.line), e.structuredMetadata, nowMs);
    }
  }

  /** The matching streams' pattern series in [fromMs, throughMs) by `stepMs`. */
  series(tenant: string, matchers: PatternMatchers, fromMs: number, throughMs: number, stepMs: number): StreamPatternSeries[] {
    const out: StreamPatternSeries[] = [];
    for (const h of this.streams.values()) {
      if (h.tenant !== tenant || !matches(h.labels, matchers)) continue;
      const series = h.patterns.series(fromMs, throughMs, stepMs);
      if (series.length > 0) out.push({ labels: h.labelsText, series });
    }
    return out;
  }

  /** Drop samples older than `retainMs`, and streams left without patterns. */
  prune(nowMs: number, retainMs: number): void {
    for (const [key, h] of this.streams) if (h.patterns.prune(nowMs, retainMs)) this.streams.delete(key);
  }

  get streamCount(): number {
    return this.streams.size;
  }
}
