/**
 * The rule store a config asks for: `ruler_storage` (Loki's objstore block) when its backend is
 * set, else `ruler.storage`: `local` is a read-only directory; `filesystem`, `s3` and the default
 * (the process's object store) keep groups in a bucket with Loki's layout.
 */
import type { FjordConfig } from '../../schemas/config/index.js';
import { FilesystemStore, S3Store, type Logger, type ModuleContext, type ObjectStore } from '../../platform/index.js';
import type { TemplateFunctionSet } from '../logql/index.js';
import { LocalRuleStore } from './local-rule-store.js';
import { BucketRuleStore, rulesPrefix, type RuleStore } from './rule-store.js';

/** A rule store, and the object store it opened itself (to start and stop), if any. */
export interface ConfiguredRuleStore {
  readonly store: RuleStore;
  readonly own: ObjectStore | null;
}

function rulerStorageS3(s3: FjordConfig['ruler_storage']['s3']): FjordConfig['common']['storage']['s3'] {
  const endpoint = s3.endpoint === '' || /^https?:\/\//.test(s3.endpoint) ? s3.endpoint : `${s3.insecure ? 'http' : 'https'}://${s3.endpoint}`;
  return {
    endpoint, region: s3.region, bucketnames: s3.bucket_name, access_key_id: s3.access_key_id, secret_access_key: s3.secret_access_key,
    s3forcepathstyle: s3.bucket_lookup_type === 'path' || (s3.bucket_lookup_type === 'auto' && s3.endpoint !== ''),
    insecure: s3.insecure, max_retries: s3.max_retries,
  };
}

/** Build the rule store of `cfg` (nothing is started). */
export function configuredRuleStore(ctx: ModuleContext, fns: TemplateFunctionSet, logger: Logger): ConfiguredRuleStore {
  const rs = ctx.config.ruler_storage;
  const prefix = rulesPrefix(rs.storage_prefix);
  switch (rs.backend) {
    case 'local':
      return { store: new LocalRuleStore(rs.local.directory, fns), own: null };
    case 'filesystem': {
      const own = new FilesystemStore(rs.filesystem.dir);
      return { store: new BucketRuleStore(own, prefix), own };
    }
    case 's3': {
      const own = new S3Store(rulerStorageS3(rs.s3), logger);
      return { store: new BucketRuleStore(own, prefix), own };
    }
    case '':
      break;
  }
  const legacy = ctx.config.ruler.storage;
  if (legacy.type === 'local') return { store: new LocalRuleStore(legacy.local.directory, fns), own: null };
  if (legacy.type === 's3') {
    const own = new S3Store(legacy.s3, logger);
    return { store: new BucketRuleStore(own), own };
  }
  return { store: new BucketRuleStore(ctx.objectStore()), own: null };
}
