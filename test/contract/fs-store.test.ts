import { FilesystemStore } from '../../platform/store/fs-store.js';
import { tempDir } from '../helpers/env.js';
import { objectStoreContract } from './object-store.contract.js';

objectStoreContract('filesystem store', async (t) => {
  const store = new FilesystemStore(await tempDir(t));
  await store.start();
  t.after(() => store.stop());
  return store;
});
