/**
 * Whether a kafkajs group member is consuming, read from the consumer's instrumentation events
 * (kafkajs reports a failed fetch only by retrying it): consumption stops at a fetch that failed
 * (a broker's next FETCH_START comes without a FETCH for the one before), at a fetch a broker has
 * not answered for FETCH_STALL_MS, or at a CRASH (kafkajs then disconnects and, for retriable
 * errors, restarts the consumer and re-joins the group); the first FETCH after that resumes it.
 * The handler hears each change once, in order, calls never overlapping.
 */
import type { Consumer } from 'kafkajs';
import { errorMessage } from '../../schemas/index.js';
import type { Logger } from '../logger.js';
import type { GroupHandler } from './partitioned-log.js';

/** A fetch unanswered this long counts as stopped consumption (fetches wait at most 500 ms for data). */
export const FETCH_STALL_MS = 5000;
const CHECK_EVERY_MS = 1000;

/** Watch `consumer` and tell `handler` when consumption stops and resumes; returns the function that ends the watch. */
export function watchConsumption(consumer: Consumer, handler: GroupHandler, logger: Logger, groupId: string): () => void {
  /** Fetches sent and not answered yet: broker node id → when sent. */
  const outstanding = new Map<number, number>();
  /** What the handler was last told. */
  let consuming = true;
  let resuming = false;
  let stoppedAtMs = 0;
  let calls: Promise<void> = Promise.resolve();

  const stopped = (why: string) => {
    if (!consuming) return;
    consuming = false;
    stoppedAtMs = Date.now();
    logger.warn({ group: groupId, err: why }, 'consumer not consuming');
    calls = calls.then(() => handler.onConsumptionStopped?.(why)).catch((err) => logger.error({ group: groupId, err: errorMessage(err) }, 'consumption stop handler failed'));
  };
  const fetched = () => {
    if (consuming || resuming) return;
    consuming = true;
    resuming = true;
    logger.info({ group: groupId, duration_ms: Date.now() - stoppedAtMs }, 'consumer fetches again');
    calls = calls
      .then(() => handler.onConsumptionResumed?.())
      .catch((err) => {
        logger.warn({ group: groupId, err: errorMessage(err) }, 'consumption resume handler failed; trying again at the next fetch');
        consuming = false;
      })
      .finally(() => {
        resuming = false;
      });
  };

  const removers = [
    consumer.on(consumer.events.FETCH_START, (e) => {
      if (outstanding.has(e.payload.nodeId)) stopped(`a fetch from broker ${e.payload.nodeId} failed`);
      outstanding.set(e.payload.nodeId, Date.now());
    }),
    consumer.on(consumer.events.FETCH, (e) => {
      outstanding.delete(e.payload.nodeId);
      fetched();
    }),
    consumer.on(consumer.events.CRASH, (e) => {
      outstanding.clear();
      stopped(`the consumer crashed (${e.payload.restart ? 'restarting' : 'not restarting'}): ${errorMessage(e.payload.error)}`);
    }),
  ];
  const timer = setInterval(() => {
    const now = Date.now();
    for (const [node, sentMs] of outstanding) {
      if (now - sentMs <= FETCH_STALL_MS) continue;
      stopped(`broker ${node} has not answered a fetch for ${now - sentMs} ms`);
      // Forgotten once reported: a broker that left the cluster is never fetched from again, and
      // only a FETCH resumes consumption (partitions it led then catch up before they answer).
      outstanding.delete(node);
    }
  }, CHECK_EVERY_MS);
  timer.unref();
  return () => {
    clearInterval(timer);
    for (const remove of removers) remove();
  };
}
