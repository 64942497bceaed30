/** `storage_config:` — index bundles and chunk fetching on the read side. */
import type { SectionSpec } from './field.js';

export const storageSection = {
  fields: [
    { key: 'max_parallel_get_chunk', flag: 'store.max-parallel-get-chunk', kind: 'int', default: 150, min: 1,
      help: 'Maximum chunks fetched at once by one query.' },
  ],
  sections: {
    index_shipper: {
      fields: [
        { key: 'active_index_directory', flag: 'index-shipper.active-index-directory', kind: 'string', default: '',
          help: 'Where ingesters keep the index being written; empty means <path_prefix>/index.' },
        { key: 'cache_location', flag: 'index-shipper.cache-location', kind: 'string', default: '',
          help: 'Where queriers keep downloaded index bundles across restarts; empty means <path_prefix>/index-cache.' },
        { key: 'cache_size', flag: 'index-shipper.cache-size', kind: 'bytes', default: '10GB', min: 1_048_576,
          help: 'Bytes of downloaded index bundles kept; the least recently used are evicted past it.' },
        { key: 'resync_interval', flag: 'index-shipper.resync-interval', kind: 'duration', default: '5m', min: 1000,
          help: 'How often queriers look for new index bundles of a period.' },
      ],
    },
  },
} as const satisfies SectionSpec;
