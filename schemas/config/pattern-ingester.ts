/**
 * `pattern_ingester:` — Drain pattern detection in the ingesters, for `/loki/api/v1/patterns`
 * (Loki's `L:pkg/pattern/ingester.go` Config and `L:pkg/pattern/drain/drain.go` DefaultConfig:
 * keys, flags and defaults). Fjord has no separate pattern ingester: each ingester trains the
 * patterns of the partitions it owns, so only the keys of the detection itself apply.
 */
import type { SectionSpec } from './field.js';

export const patternIngesterSection = {
  fields: [
    { key: 'enabled', flag: 'pattern-ingester.enabled', kind: 'bool', default: false,
      help: 'Detect patterns in every entry an ingester consumes and answer /loki/api/v1/patterns.' },
    { key: 'flush_check_period', flag: 'pattern-ingester.flush-check-period', kind: 'duration', default: '1m', min: 10,
      help: 'How often pattern samples older than retain_for are pruned, and patterns left without samples dropped.' },
    { key: 'max_clusters', flag: 'pattern-ingester.max-clusters', kind: 'int', default: 300, min: 1,
      help: 'Most patterns kept per stream and detected level; the least recently used is evicted.' },
    { key: 'max_eviction_ratio', flag: 'pattern-ingester.max-eviction-ratio', kind: 'float', default: 0.25, min: 0,
      help: 'Once evictions pass this share of the lines a stream level trained, its pattern detection pauses for 10 minutes.' },
    { key: 'max_allowed_line_length', flag: 'pattern-ingester.max-allowed-line-length', kind: 'int', default: 3000, min: 1,
      help: 'Longer lines are not used for pattern detection.' },
    { key: 'retain_for', flag: 'pattern-ingester.retain-for', kind: 'duration', default: '3h', min: 1000,
      help: 'How long pattern samples are kept after their entries were pushed; patterns queries look back this far.' },
    { key: 'max_chunk_age', flag: 'pattern-ingester.max-chunk-age', kind: 'duration', default: '1h', min: 1000,
      help: 'The time span of one chunk of pattern samples.' },
    { key: 'pattern_sample_interval', flag: 'pattern-ingester.sample-interval', kind: 'duration', default: '10s', min: 1000,
      help: 'The time resolution of pattern samples.' },
  ],
} as const satisfies SectionSpec;
