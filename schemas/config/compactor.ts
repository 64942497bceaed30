/** `compactor:` — index bundle merging, retention and deletes (Loki's names and defaults where Loki has the setting). */
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
      help: 'Delete chunks past their stream\'s retention (retention_stream, else the tenant\'s retention_period), and serve the delete API.' },
    { key: 'retention_delete_delay', flag: 'compactor.retention-delete-delay', kind: 'duration', default: '2h',
      help: 'Delay between marking chunks for deletion and deleting them.' },
    { key: 'retention_delete_worker_count', flag: 'compactor.retention-delete-worker-count', kind: 'int', default: 150, min: 1,
      help: 'Chunk objects deleted at once when marked chunks are swept.' },
    { key: 'delete_request_cancel_period', flag: 'compactor.delete-request-cancel-period', kind: 'duration', default: '24h',
      help: 'A delete request may be cancelled for this long after it is made; the compactor removes its lines from the store only after that.' },
    { key: 'delete_max_interval', flag: 'compactor.delete-max-interval', kind: 'duration', default: '24h',
      help: 'Delete requests with line filters are split into pieces of at most this length (the max_interval parameter may ask for shorter ones); 0 does not split.' },
    { key: 'delete_batch_size', flag: 'compactor.delete-batch-size', kind: 'int', default: 70, min: 1,
      help: 'Most delete request pieces processed in one compaction round.' },
  ],
} as const satisfies SectionSpec;
