/** `chunk_store_config:` — the queriers' chunk cache (Loki's embedded cache keys). */
import type { SectionSpec } from './field.js';

export const chunkStoreSection = {
  fields: [],
  sections: {
    chunk_cache_config: {
      fields: [],
      sections: {
        embedded_cache: {
          fields: [
            { key: 'enabled', flag: 'store.chunks-cache.embedded-cache.enabled', kind: 'bool', default: true,
              help: 'Keep fetched chunks in memory.' },
            { key: 'max_size_mb', flag: 'store.chunks-cache.embedded-cache.max-size-mb', kind: 'int', default: 1024, min: 1,
              help: 'Megabytes of chunks kept in memory; the least recently used are evicted past it.' },
          ],
        },
      },
    },
  },
} as const satisfies SectionSpec;
