/**
 * A consumer-group member on kafkajs. Assignments are learned from GROUP_JOIN events; for each
 * change the handler first hears the partitions lost, then those gained, before any batch of a
 * gained partition is handed over. Before the member re-joins a rebalancing group it stops handing
 * over batches, waits for those in hand, and revokes every partition it owns (the handler flushes
 * and commits them) so a new owner starts at the old owner's last offset (the eager protocol: what
 * it keeps is assigned again). Leaving does the same and disconnects after. Offsets are committed
 * only by `commit` (autoCommit is off). A batch handler that fails is retried in place, with a
 * heartbeat kept while it runs. The handler also hears when consumption stops and resumes
 * (kafka-consumption-watch.ts).
 */
import type { Consumer, EachBatchPayload, Kafka } from 'kafkajs';
import { FjordError, errorMessage } from '../../schemas/index.js';
import type { Logger } from '../logger.js';
import { headersToBytes } from './kafka-client.js';
import { watchConsumption } from './kafka-consumption-watch.js';
import { beforeRejoin } from './kafka-rejoin-hook.js';
import type { GroupHandler, GroupMembership, LogRecord } from './partitioned-log.js';

const RETRY_BACKOFF_MS = 1000;

/** Timing of the group membership. */
export interface GroupTiming {
  /** The coordinator drops a member it has not heard from for this long. */
  readonly sessionTimeoutMs: number;
  readonly heartbeatIntervalMs: number;
}

/** Run `work` while calling `heartbeat` every `everyMs`. */
async function withHeartbeat<T>(work: Promise<T>, heartbeat: () => Promise<void>, everyMs: number): Promise<T> {
  const timer = setInterval(() => void heartbeat().catch(() => undefined), everyMs);
  try {
    return await work;
  } finally {
    clearInterval(timer);
  }
}

/** Join `groupId` on `topic` with a client whose id is the member's address. */
export async function joinKafkaGroup(
  kafka: Kafka,
  topic: string,
  groupId: string,
  handler: GroupHandler,
  logger: Logger,
  timing: GroupTiming,
): Promise<GroupMembership> {
  const consumer: Consumer = kafka.consumer({
    groupId,
    sessionTimeout: timing.sessionTimeoutMs,
    rebalanceTimeout: Math.max(60_000, 2 * timing.sessionTimeoutMs),
    heartbeatInterval: timing.heartbeatIntervalMs,
    maxBytesPerPartition: 16 * 1024 * 1024,
    maxWaitTimeInMs: 500,
    allowAutoTopicCreation: false,
  });
  let assigned = new Set<number>();
  let memberId = '';
  let handover: Promise<void> = Promise.resolve();
  let stopped = false;
  /** Batches fetched while true are dropped: the next join restarts consumption at the committed offsets. */
  let holding = false;
  let inHand = 0;
  let drained: Array<() => void> = [];
  let removeHook = () => {};

  const batchesDone = () => (inHand === 0 ? Promise.resolve() : new Promise<void>((r) => drained.push(r)));

  /** Stop handing over batches and revoke every partition (flushed and committed by the handler); runs on the handover chain. */
  const releaseAll = async (why: string) => {
    holding = true;
    await batchesDone();
    const lost = [...assigned].sort((a, b) => a - b);
    assigned = new Set();
    if (lost.length === 0) return;
    const t0 = Date.now();
    try {
      await handler.onRevoked(lost);
    } catch (err) {
      logger.error({ group: groupId, err }, `partition release failed: ${errorMessage(err)}`);
    }
    logger.info({ group: groupId, partitions: lost, ms: Date.now() - t0 }, `partitions released before ${why}`);
  };

  consumer.on(consumer.events.GROUP_JOIN, (e) => {
    if (stopped) return;
    if (e.payload.memberId !== memberId) {
      removeHook();
      removeHook = beforeRejoin(groupId, e.payload.memberId, timing.heartbeatIntervalMs, () => {
        handover = handover.then(() => (stopped ? undefined : releaseAll('the group re-joins')));
        return handover;
      });
    }
    memberId = e.payload.memberId;
    holding = false;
    const next = new Set<number>(e.payload.memberAssignment[topic] ?? []);
    const lost = [...assigned].filter((p) => !next.has(p)).sort((a, b) => a - b);
    const gained = [...next].filter((p) => !assigned.has(p)).sort((a, b) => a - b);
    assigned = next;
    handover = handover.then(async () => {
      try {
        if (lost.length > 0) await handler.onRevoked(lost);
        if (gained.length > 0) await handler.onAssigned(gained);
      } catch (err) {
        logger.error({ group: groupId, err }, `partition handover failed: ${errorMessage(err)}`);
      }
    });
  });

  const handle = async (partition: number, records: readonly LogRecord[], highWatermark: number, p: EachBatchPayload): Promise<void> => {
    for (;;) {
      try {
        await withHeartbeat(handler.onBatch(partition, records, highWatermark), p.heartbeat, timing.heartbeatIntervalMs);
        return;
      } catch (err) {
        logger.error({ partition, offset: records[0]?.offset, err }, `batch handler failed, retrying: ${errorMessage(err)}`);
        await new Promise((r) => setTimeout(r, RETRY_BACKOFF_MS));
        if (!p.isRunning() || p.isStale() || stopped || holding) throw err;
      }
    }
  };

  const eachBatch = async (p: EachBatchPayload): Promise<void> => {
    await handover;
    const { batch } = p;
    const partition = batch.partition;
    if (holding || !assigned.has(partition)) return;
    const records: LogRecord[] = batch.messages.map((m) => ({
      partition,
      offset: Number(m.offset),
      timestampMs: Number(m.timestamp),
      key: m.key ?? null,
      value: m.value ?? new Uint8Array(0),
      headers: headersToBytes(m.headers),
    }));
    if (records.length === 0) return;
    inHand++;
    try {
      await handle(partition, records, Number(batch.highWatermark), p);
    } finally {
      inHand--;
      if (inHand === 0) {
        const waiting = drained;
        drained = [];
        for (const r of waiting) r();
      }
    }
  };

  const unwatch = watchConsumption(consumer, handler, logger, groupId);
  try {
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({ autoCommit: false, eachBatchAutoResolve: true, partitionsConsumedConcurrently: 4, eachBatch });
  } catch (err) {
    unwatch();
    throw err;
  }

  return {
    get memberId() {
      return memberId;
    },
    async commit(offsets) {
      const list = [...offsets].map(([partition, offset]) => ({ topic, partition, offset: String(offset) }));
      if (list.length === 0) return;
      try {
        await consumer.commitOffsets(list);
      } catch (err) {
        throw new FjordError('log_unavailable', `commit of group ${groupId} failed: ${errorMessage(err)}`, { cause: err });
      }
    },
    seek(partition, offset) {
      consumer.seek({ topic, partition, offset: String(offset) });
    },
    assigned: () => [...assigned].sort((a, b) => a - b),
    async leave() {
      if (stopped) return;
      stopped = true;
      removeHook();
      unwatch();
      try {
        handover = handover.then(() => releaseAll('leaving the group'));
        await handover;
      } finally {
        await consumer.disconnect();
      }
    },
  };
}
