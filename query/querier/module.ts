/** The querier: its caches, the store and ingester readers, and the QueryBackend over them. */
import { join } from 'node:path';
import type { CodecSet } from '../../schemas/index.js';
import type { FjordConfig } from '../../schemas/config/index.js';
import type { DecodedBlock } from '../../schemas/chunk/index.js';
import { DeleteRequestReader, type ModuleContext, type Service } from '../../platform/index.js';
import { compileLogSelector } from '../logql/index.js';
import { DeleteFilter } from './delete-filter.js';
import { DecompressPool } from './decompress-pool.js';
import { IndexBundleCache } from './index-cache.js';
import { IngesterClient } from './ingester-client.js';
import { IngesterRing } from './ingester-ring.js';
import { LruCache } from './lru-cache.js';
import { querierMetrics } from './metrics.js';
import { PatternSource } from './pattern-source.js';
import { Querier } from './querier.js';
import { StoreReader } from './store-reader.js';
import { StreamSource } from './stream-source.js';
import { WritePositionGate } from './write-position-gate.js';

/** A querier and the service that starts its caches. */
export interface QuerierParts {
  readonly querier: Querier;
  readonly service: Service;
  /**
   * Read-your-writes on the querier's own ingester ring: once a wait succeeds, the ring's view is
   * one whose every owner was just seen holding its partitions, so the query that follows asks them.
   */
  readonly readYourWrites: WritePositionGate;
}

/** Periods listed on every query: the current one and the one before (recently uploaded bundles). */
const RECENT_PERIODS = 1;

/**
 * The delete requests a querier applies: re-read every index resync interval, and applied for two
 * more intervals after they are processed (queriers re-list index bundles every interval).
 */
export function deleteFilter(ctx: ModuleContext): DeleteFilter {
  const resync = ctx.config.storage_config.index_shipper.resync_interval;
  return new DeleteFilter(new DeleteRequestReader(ctx.objectStore()), compileLogSelector, { refreshMs: resync, keepProcessedMs: 2 * resync }, ctx.logger.child({ component: 'delete-filter' }));
}

/** Read-your-writes over the process's view of the ingester ring. */
export function writePositionGate(ctx: ModuleContext): WritePositionGate {
  return new WritePositionGate(new IngesterRing(ctx.partitionLog(), ctx.config.kafka_config.consumer_group), ctx.partitionLog());
}

/** Build the querier of a process. */
export function buildQuerier(ctx: ModuleContext, codecs: CodecSet): QuerierParts {
  const cfg: FjordConfig = ctx.config;
  const shipper = cfg.storage_config.index_shipper;
  const metrics = querierMetrics(ctx.registry);
  const index = new IndexBundleCache(
    ctx.objectStore(),
    {
      directory: shipper.cache_location || join(cfg.common.path_prefix, 'index-cache'),
      maxBytes: shipper.cache_size,
      resyncMs: shipper.resync_interval,
      recentPeriods: RECENT_PERIODS,
    },
    ctx.logger.child({ component: 'index-cache' }),
    metrics.cache('index-bundles'),
  );
  const cache = cfg.chunk_store_config.chunk_cache_config.embedded_cache;
  const chunkCache = new LruCache<string, Uint8Array>(cache.enabled ? cache.max_size_mb * 1024 * 1024 : 0, (b) => b.length, undefined, metrics.cache('chunks'));
  const pool = new DecompressPool();
  const blockCache = new LruCache<string, DecodedBlock>(cfg.querier.decoded_block_cache_size, (b) => b.text.length + b.count * 12 + 64, undefined, metrics.cache('decoded-blocks'));
  const store = new StoreReader(ctx.objectStore(), codecs, index, chunkCache, cfg.storage_config.max_parallel_get_chunk, pool, blockCache);
  const ring = new IngesterRing(ctx.partitionLog(), cfg.kafka_config.consumer_group);
  const ingesters = new IngesterClient(ring, cfg.querier);
  const patterns = cfg.pattern_ingester.enabled ? new PatternSource(ingesters, cfg.pattern_ingester.retain_for) : null;
  const querier = new Querier(new StreamSource(store, ingesters, codecs), store, ring, ctx.runtimeConfig(), metrics, ctx.clock, deleteFilter(ctx), patterns);
  return {
    querier,
    readYourWrites: new WritePositionGate(ring, ctx.partitionLog()),
    service: {
      name: 'querier',
      start: async () => {
        await index.start();
        await pool.start();
      },
      stop: () => pool.stop(),
    },
  };
}
