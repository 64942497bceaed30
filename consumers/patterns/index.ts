/** Drain pattern detection for the ingesters (Loki's pattern ingester). */
export { Drain, DRAIN_DEFAULTS, LogCluster, type DrainConfig, type SkipReason } from './drain.js';
export { detectLogFormat, tokenizerFor, PLACEHOLDER, type LineTokenizer, type LogFormat } from './drain-tokenizers.js';
export { PatternSamples, type PatternSample } from './pattern-samples.js';
export { StreamPatterns, type PatternSeries, type PatternSettings } from './stream-patterns.js';
export { PartitionPatterns, type PatternMatchers, type StreamPatternSeries } from './partition-patterns.js';
