/** `compactor:` — index bundle merging and retention (Loki's names and defaults). */
import type { SectionSpec } from './field.js';

export const compactorSection = {
  fields: [
    { key: 'working_directory', flag: 'compactor.working-directory', kind: 'string', default: '',
      help: 'Scratch directory of the compactor; empty means <path_prefix>/compactor.' },
    { key: 'compaction_interval', flag: 'compactor.compaction-interval', kind: 'duration', default: '10m', min: 1000,
      help: 'How often index bundles are merged.' },
    { key: 'retention_enabled', flag: 'compactor.retention-enabled', kind: 'bool', default: false,
      help: 'Delete chunks older than the tenant\'s retention_period.' },
    { key: 'retention_delete_delay', flag: 'compactor.retention-delete-delay', kind: 'duration', default: '2h',
      help: 'Delay between marking chunks for deletion and deleting them.' },
  ],
} as const satisfies SectionSpec;
