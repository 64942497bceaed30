import { S3Store } from '../../platform/store/s3-store.js';
import { silentLogger } from '../../platform/logger.js';
import { s3Block, testConfig } from '../helpers/config.js';
import { freshBucket } from '../helpers/s3-bucket.js';
import { objectStoreContract } from './object-store.contract.js';

objectStoreContract('s3 store (real S3 server)', async (t) => {
  const bucket = await freshBucket(t);
  const cfg = testConfig({ common: { storage: { s3: s3Block(bucket) } } });
  const store = new S3Store(cfg.common.storage.s3, silentLogger());
  await store.start(new AbortController().signal);
  t.after(() => store.stop());
  return store;
});
