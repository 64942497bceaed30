/** The whole config tree: root fields and every section, and the `FjordConfig` type derived from it. */
import type { ConfigOf, SectionSpec } from './field.js';
import { chunkStoreSection } from './chunk-store.js';
import { commonSection } from './common.js';
import { compactorSection } from './compactor.js';
import { distributorSection } from './distributor.js';
import { ingesterSection } from './ingester.js';
import { kafkaSection } from './kafka.js';
import { limitsSection, runtimeConfigSection } from './limits.js';
import { patternIngesterSection } from './pattern-ingester.js';
import { frontendSection, frontendWorkerSection, querierSection, queryRangeSection } from './querier.js';
import { rulerSection, rulerStorageSection } from './ruler.js';
import { serverSection } from './server.js';
import { storageSection } from './storage.js';
import { uiSection } from './ui.js';

/** Targets, as Loki's `-target`: single modules and the simple-scalable groups. */
export const TARGETS = [
  'all', 'distributor', 'ingester', 'querier', 'query-frontend', 'compactor', 'ruler', 'write', 'read', 'backend',
] as const;
export type Target = (typeof TARGETS)[number];

export const configSpec = {
  fields: [
    { key: 'target', flag: 'target', kind: 'enum', values: TARGETS, default: 'all',
      help: 'Which modules this process runs.' },
    { key: 'auth_enabled', flag: 'auth.enabled', kind: 'bool', default: true,
      help: 'Require X-Scope-OrgID on every request; when off every request is tenant `fake`.' },
  ],
  sections: {
    server: serverSection,
    common: commonSection,
    kafka_config: kafkaSection,
    storage_config: storageSection,
    chunk_store_config: chunkStoreSection,
    distributor: distributorSection,
    ingester: ingesterSection,
    pattern_ingester: patternIngesterSection,
    querier: querierSection,
    query_range: queryRangeSection,
    frontend: frontendSection,
    frontend_worker: frontendWorkerSection,
    compactor: compactorSection,
    ruler: rulerSection,
    ruler_storage: rulerStorageSection,
    limits_config: limitsSection,
    runtime_config: runtimeConfigSection,
    ui: uiSection,
  },
} as const satisfies SectionSpec;

/** The effective, validated, frozen configuration of a Fjord process. */
export type FjordConfig = ConfigOf<typeof configSpec>;
/** Per-tenant limits, as in `limits_config` (and a tenant's overrides). */
export type LimitsConfig = FjordConfig['limits_config'];
