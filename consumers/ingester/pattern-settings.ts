/** Drain's settings for an ingester's pattern detection, from the `pattern_ingester` config block. */
import type { FjordConfig } from '../../schemas/config/index.js';
import { DRAIN_DEFAULTS, type PatternSettings } from '../patterns/index.js';

/** Loki's default pattern_ingester_tokenizable_json_fields_default. */
const TOKENIZABLE_JSON_FIELDS = ['log', 'message', 'msg', 'msg_', '_msg', 'content'] as const;

export function patternSettings(pi: FjordConfig['pattern_ingester']): PatternSettings {
  return {
    ...DRAIN_DEFAULTS, maxClusters: pi.max_clusters, maxEvictionRatio: pi.max_eviction_ratio,
    maxChunkAgeMs: pi.max_chunk_age, sampleIntervalMs: pi.pattern_sample_interval, maxAllowedLineLength: pi.max_allowed_line_length,
    jsonFields: TOKENIZABLE_JSON_FIELDS,
  };
}
