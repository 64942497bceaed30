/**
 * A consumer-group member on kafkajs. Assignments are learned from GROUP_JOIN events; for each
 * change the handler first hears the partitions lost, then those gained, before any batch of a
 * gained partition is handed over. Offsets are committed only by `commit` (autoCommit is off). A
 * batch handler that fails is retried in place, with a heartbeat kept while it runs.
 */
import type { Consumer, EachBatchPayload, Kafka } from 'kafkajs';
import { FjordError, errorMessage } from '../../schemas/index.js';
import type { Logger } from '../logger.js';
import { headersToBytes } from './kafka-client.js';
import type { GroupHandler, GroupMembership, LogRecord } from './partitioned-log.js';

const HEARTBEAT_EVERY_MS = 3000;
const RETRY_BACKOFF_MS = 1000;

/** Run `work` while calling `heartbeat` every few seconds. */
async function withHeartbeat<T>(work: Promise<T>, heartbeat: () => Promise<void>): Promise<T> {
  const timer = setInterval(() => void heartbeat().catch(() => undefined), HEARTBEAT_EVERY_MS);
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
  sessionTimeoutMs: number,
): Promise<GroupMembership> {
  const consumer: Consumer = kafka.consumer({
    groupId,
    sessionTimeout: sessionTimeoutMs,
    rebalanceTimeout: Math.max(60_000, 2 * sessionTimeoutMs),
    heartbeatInterval: HEARTBEAT_EVERY_MS,
    maxBytesPerPartition: 16 * 1024 * 1024,
    maxWaitTimeInMs: 500,
    allowAutoTopicCreation: false,
  });
  let assigned = new Set<number>();
  let memberId = '';
  let handover: Promise<void> = Promise.resolve();
  let stopped = false;

  consumer.on(consumer.events.GROUP_JOIN, (e) => {
    memberId = e.payload.memberId;
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

  const eachBatch = async ({ batch, heartbeat, isRunning, isStale }: EachBatchPayload): Promise<void> => {
    await handover;
    const partition = batch.partition;
    if (!assigned.has(partition)) return;
    const records: LogRecord[] = batch.messages.map((m) => ({
      partition,
      offset: Number(m.offset),
      timestampMs: Number(m.timestamp),
      key: m.key ?? null,
      value: m.value ?? new Uint8Array(0),
      headers: headersToBytes(m.headers),
    }));
    if (records.length === 0) return;
    for (;;) {
      try {
        await withHeartbeat(handler.onBatch(partition, records, Number(batch.highWatermark)), heartbeat);
        return;
      } catch (err) {
        logger.error({ partition, offset: records[0]?.offset, err }, `batch handler failed, retrying: ${errorMessage(err)}`);
        await new Promise((r) => setTimeout(r, RETRY_BACKOFF_MS));
        if (!isRunning() || isStale() || stopped) throw err;
      }
    }
  };

  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({ autoCommit: false, eachBatchAutoResolve: true, partitionsConsumedConcurrently: 4, eachBatch });

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
      await consumer.disconnect();
      await handover;
      const lost = [...assigned].sort((a, b) => a - b);
      assigned = new Set();
      if (lost.length > 0) await handler.onRevoked(lost);
    },
  };
}
