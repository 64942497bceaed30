/** `compactor:` — index bundle merging and retention (Loki's names and defaults where Loki has the setting). */
import type { SectionSpec } from './field.js';

export const compactorSection = {
  fields: [
    { key: 'compaction_interval', flag: 'compactor.compaction-interval', kind: 'duration', default: '10m', min: 1000,
      help: 'How often index bundles are merged.' },
    { key: 'max_compaction_parallelism', flag: 'compactor.max-compaction-parallelism', kind: 'int', default: 1, min: 1,
      help: 'Tables (one period of one tenant) compacted at once.' },
    { key: 'min_bundle_age', flag: 'compactor.min-bundle-age', kind: 'duration', default: '5m',
      help: 'Index bundles of the current period younger than this are left for a later compaction round.' },
    { key: 'max_bundles_per_table', flag: 'compactor.max-bundles-per-table', kind: 'int', default: 1000, min: 2,
      help: 'Most index bundles merged into one in a round (the oldest first); the rest wait for the next round.' },
    { key: 'retention_enabled', flag: 'compactor.retention-enabled', kind: 'bool', default: false,
      help: 'Delete chunks older than the tenant\'s retention_period.' },
    { key: 'retention_delete_delay', flag: 'compactor.retention-delete-delay', kind: 'duration', default: '2h',
      help: 'Delay between marking chunks for deletion and deleting them.' },
    { key: 'retention_delete_worker_count', flag: 'compactor.retention-delete-worker-count', kind: 'int', default: 150, min: 1,
      help: 'Chunk objects deleted at once when marked chunks are swept.' },
  ],
} as const satisfies SectionSpec;
