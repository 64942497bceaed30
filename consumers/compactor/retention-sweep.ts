/**
 * Retention marks: writing one when a rewrite drops refs past retention, and sweeping the marks
 * whose delay has passed (deleting their chunk objects, then the mark). The delay
 * (`retention_delete_delay`) outlasts the queriers' index resync: a querier still holding an old
 * listing or an old bundle that refers to a dropped chunk has re-listed long before the chunk
 * goes. Deleting is idempotent, so a mark swept twice (a crash, two leaders) does no harm.
 */
import { errorMessage, isFjordError } from '../../schemas/index.js';
import { fnv1a64Hex } from '../../schemas/wire/index.js';
import {
  decodeRetentionMark, encodeRetentionMark, parseRetentionMarkKey, retentionMarkKey, RETENTION_MARKS_PREFIX,
  type RetentionMarkKeyParts,
} from '../../schemas/index/index.js';
import { mapLimit, type Logger, type ObjectStore } from '../../platform/index.js';
import type { CompactorMetrics } from './metrics.js';
import { marksDue } from './retention.js';

/** Write a mark naming `chunkKeys` at `nowMs`; returns its key. */
export async function writeRetentionMark(store: ObjectStore, chunkKeys: readonly string[], nowMs: number, signal?: AbortSignal): Promise<string> {
  const key = retentionMarkKey({ markedAtMs: Math.floor(nowMs), id: fnv1a64Hex(chunkKeys.join('\n')) });
  await store.put(key, encodeRetentionMark(chunkKeys), signal);
  return key;
}

/** What a sweep did. */
export interface SweepResult {
  readonly marksSwept: number;
  readonly chunksDeleted: number;
}

/** Settings of a sweep. */
export interface SweepOptions {
  readonly nowMs: number;
  readonly delayMs: number;
  readonly workers: number;
}

async function dueMarks(store: ObjectStore, opts: SweepOptions, metrics: CompactorMetrics, signal?: AbortSignal): Promise<Array<RetentionMarkKeyParts & { key: string }>> {
  const all: Array<RetentionMarkKeyParts & { key: string }> = [];
  let token: string | null = null;
  do {
    const page = await store.listPage(RETENTION_MARKS_PREFIX, { token }, signal);
    for (const o of page.objects) {
      const parts = parseRetentionMarkKey(o.key);
      if (parts) all.push({ ...parts, key: o.key });
    }
    token = page.nextToken;
  } while (token !== null);
  metrics.markFilesCurrent.set(all.length);
  return marksDue(all, opts.nowMs, opts.delayMs);
}

/** Delete the chunks of every mark that is due, then the mark. A failed delete leaves its mark for the next sweep. */
export async function sweepRetentionMarks(
  store: ObjectStore,
  opts: SweepOptions,
  metrics: CompactorMetrics,
  logger: Logger,
  signal?: AbortSignal,
): Promise<SweepResult> {
  let marksSwept = 0;
  let chunksDeleted = 0;
  for (const mark of await dueMarks(store, opts, metrics, signal)) {
    if (signal?.aborted) break;
    let keys: string[];
    try {
      keys = decodeRetentionMark(await store.get(mark.key, signal));
    } catch (err) {
      if (isFjordError(err, 'object_not_found')) continue;
      if (isFjordError(err, 'index_corrupt')) {
        logger.error({ mark: mark.key, err: errorMessage(err) }, 'unreadable retention mark left in place');
        continue;
      }
      throw err;
    }
    await mapLimit(keys, opts.workers, async (key) => {
      const t0 = performance.now();
      try {
        await store.delete(key, signal);
        metrics.chunkDeleteDuration.observe({ status: 'success' }, (performance.now() - t0) / 1000);
      } catch (err) {
        metrics.chunkDeleteDuration.observe({ status: 'failure' }, (performance.now() - t0) / 1000);
        throw err;
      }
    });
    await store.delete(mark.key, signal);
    metrics.markFilesDeleted.inc();
    marksSwept++;
    chunksDeleted += keys.length;
    logger.info({ mark: mark.key, chunks: keys.length }, 'deleted chunks past retention');
  }
  return { marksSwept, chunksDeleted };
}
