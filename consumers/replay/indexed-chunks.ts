/**
 * What the object store's index bundles already refer to, per (period, tenant), read once per run:
 * a replay leaves those refs out of the bundles it seals, so replaying what is already indexed
 * uploads no bundle at all.
 */
import { chunkKey, indexBundlePrefix, openIndexBundle, parseIndexBundleKey } from '../../schemas/index/index.js';
import { listAll, type ObjectStore } from '../../platform/index.js';
import type { IndexedChunks } from '../ingester/index.js';

/** The chunk keys of every index bundle in the store, loaded per (period, tenant) on first use. */
export class StoreIndexedChunks implements IndexedChunks {
  private readonly loaded = new Map<string, Promise<ReadonlySet<string>>>();

  constructor(private readonly store: ObjectStore) {}

  chunkKeys(period: number, tenant: string, signal?: AbortSignal): Promise<ReadonlySet<string>> {
    const id = `${period}/${tenant}`;
    let keys = this.loaded.get(id);
    if (!keys) {
      keys = this.load(period, tenant, signal);
      keys.catch(() => this.loaded.delete(id));
      this.loaded.set(id, keys);
    }
    return keys;
  }

  private async load(period: number, tenant: string, signal?: AbortSignal): Promise<ReadonlySet<string>> {
    const out = new Set<string>();
    for await (const o of listAll(this.store, indexBundlePrefix(period, tenant), signal)) {
      parseIndexBundleKey(o.key);
      const bundle = openIndexBundle(await this.store.get(o.key, signal));
      for (const c of bundle.toInput().chunks) out.add(chunkKey({ tenant, ...c }));
    }
    return out;
  }
}
