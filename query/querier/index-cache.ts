/**
 * Index bundles on the read side: listed per (period, tenant) in the object store, downloaded
 * lazily into `cache_location` (kept across restarts, least recently used evicted past
 * `cache_size`), and kept opened in memory. Recent periods are listed on every query, so a bundle
 * an ingester just uploaded (and whose chunks it then let go of) is seen at once; older periods are
 * listed again every `resync_interval`. A bundle that vanished (merged by the compactor) makes the
 * listing be read again.
 */
import { mkdir, readdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { isFjordError } from '../../schemas/index.js';
import {
  indexBundlePrefix, openIndexBundle, parseIndexBundleKey, type IndexBundle,
} from '../../schemas/index/index.js';
import { listAll, type Logger, type ObjectStore } from '../../platform/index.js';
import type { QueryStats } from '../engine/query-backend.js';
import { LruCache, type CacheObserver } from './lru-cache.js';

/** Settings of the cache. */
export interface IndexCacheOptions {
  readonly directory: string;
  readonly maxBytes: number;
  readonly resyncMs: number;
  /** Periods at or after `currentPeriod - recentPeriods` are listed on every query. */
  readonly recentPeriods: number;
}

interface Listing {
  readonly at: number;
  readonly keys: readonly string[];
}

/** The querier's view of the index bundles. */
export class IndexBundleCache {
  private readonly listings = new Map<string, Listing>();
  private readonly onDisk: LruCache<string, number>;
  private readonly opened: LruCache<string, { bundle: IndexBundle; size: number }>;

  constructor(
    private readonly store: ObjectStore,
    private readonly opts: IndexCacheOptions,
    private readonly logger: Logger,
    observer?: CacheObserver,
  ) {
    this.onDisk = new LruCache<string, number>(opts.maxBytes, (n) => n, (key) => void unlink(this.path(key)).catch(() => undefined), observer);
    this.opened = new LruCache<string, { bundle: IndexBundle; size: number }>(Math.min(opts.maxBytes, 1 << 30), (b) => b.size);
  }

  private path(key: string): string {
    return join(this.opts.directory, ...key.split('/'));
  }

  /** Take stock of the bundles already on disk (from before a restart). */
  async start(): Promise<void> {
    await mkdir(this.opts.directory, { recursive: true });
    const files: Array<{ key: string; size: number; mtime: number }> = [];
    const walk = async (dir: string): Promise<void> => {
      for (const e of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
        const p = join(dir, e.name);
        if (e.isDirectory()) await walk(p);
        else if (e.isFile() && !e.name.startsWith('.tmp-')) {
          const st = await stat(p);
          files.push({ key: relative(this.opts.directory, p).split(sep).join('/'), size: st.size, mtime: st.mtimeMs });
        }
      }
    };
    await walk(this.opts.directory);
    files.sort((a, b) => a.mtime - b.mtime);
    for (const f of files) this.onDisk.set(f.key, f.size);
    if (files.length > 0) this.logger.info({ bundles: files.length, bytes: this.onDisk.sizeBytes() }, 'index cache loaded from disk');
  }

  private async keysOf(period: number, tenant: string, currentPeriod: number, force: boolean, signal?: AbortSignal): Promise<readonly string[]> {
    const id = `${period}/${tenant}`;
    const cached = this.listings.get(id);
    const recent = period >= currentPeriod - this.opts.recentPeriods;
    if (!force && cached && !recent && Date.now() - cached.at < this.opts.resyncMs) return cached.keys;
    const keys: string[] = [];
    for await (const o of listAll(this.store, indexBundlePrefix(period, tenant), signal)) {
      try {
        parseIndexBundleKey(o.key);
        keys.push(o.key);
      } catch {
        // not a bundle (a stray object): ignored
      }
    }
    this.listings.set(id, { at: Date.now(), keys });
    return keys;
  }

  private async open(key: string, stats: QueryStats, signal?: AbortSignal): Promise<IndexBundle> {
    const hit = this.opened.get(key);
    if (hit) {
      stats.indexCacheHits++;
      return hit.bundle;
    }
    let bytes: Uint8Array | null = null;
    if (this.onDisk.get(key) !== undefined) {
      bytes = await readFile(this.path(key)).catch(() => null);
      if (bytes) stats.indexCacheHits++;
    }
    if (!bytes) {
      bytes = await this.store.get(key, signal);
      const file = this.path(key);
      await mkdir(dirname(file), { recursive: true });
      const tmp = join(dirname(file), `.tmp-${process.pid}-${Date.now()}`);
      await writeFile(tmp, bytes);
      await rename(tmp, file);
      this.onDisk.set(key, bytes.length);
    }
    const bundle = openIndexBundle(bytes);
    this.opened.set(key, { bundle, size: bytes.length });
    return bundle;
  }

  /** The bundles of `tenant` in `period`, opened. */
  async bundles(tenant: string, period: number, currentPeriod: number, stats: QueryStats, signal?: AbortSignal): Promise<IndexBundle[]> {
    for (let attempt = 0; ; attempt++) {
      const keys = await this.keysOf(period, tenant, currentPeriod, attempt > 0, signal);
      try {
        const out: IndexBundle[] = [];
        for (const key of keys) {
          out.push(await this.open(key, stats, signal));
          stats.indexBundlesRead++;
        }
        return out;
      } catch (err) {
        if (attempt === 0 && isFjordError(err, 'object_not_found')) continue;
        throw err;
      }
    }
  }

  /** Forget a bundle removed from the store (the compactor merged it). */
  forget(key: string): void {
    this.opened.delete(key);
    this.onDisk.delete(key);
    void unlink(this.path(key)).catch(() => undefined);
  }
}
