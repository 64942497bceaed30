/** Drain's settings for an ingester's pattern detection: the `pattern_ingester` block and the tenant's limits. */
import type { FjordConfig, LimitsConfig } from '../../schemas/config/index.js';
import { DRAIN_DEFAULTS, type PatternSettings } from '../patterns/index.js';

/**
 * The JSON fields Drain reads, in order: the default list, then the appended fields, less the
 * deleted ones (Loki's set of the same fields, in a fixed order here).
 */
export function tokenizableJsonFields(limits: LimitsConfig): string[] {
  const deleted = new Set(limits.pattern_ingester_tokenizable_json_fields_delete);
  const fields = [...limits.pattern_ingester_tokenizable_json_fields_default, ...limits.pattern_ingester_tokenizable_json_fields_append];
  return [...new Set(fields)].filter((f) => !deleted.has(f));
}

export function patternSettings(pi: FjordConfig['pattern_ingester'], limits: LimitsConfig): PatternSettings {
  return {
    ...DRAIN_DEFAULTS, maxClusters: pi.max_clusters, maxEvictionRatio: pi.max_eviction_ratio,
    maxChunkAgeMs: pi.max_chunk_age, sampleIntervalMs: pi.pattern_sample_interval, maxAllowedLineLength: pi.max_allowed_line_length,
    jsonFields: tokenizableJsonFields(limits),
  };
}
