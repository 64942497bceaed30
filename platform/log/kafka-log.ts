/**
 * The partitioned log on Apache Kafka through kafkajs. `start` retries with backoff until the
 * brokers answer (logging which brokers and why), creates the topic when allowed, reads the
 * topic's max.message.bytes, and connects an idempotent producer (acks=all).
 */
import kafkajs, { type Admin, type Kafka, type Producer } from 'kafkajs';
import { FjordError, errorMessage } from '../../schemas/index.js';
import type { Logger } from '../logger.js';
import { createKafkaClient, type KafkaConnection } from './kafka-client.js';
import { joinKafkaGroup } from './kafka-group.js';
import type { KafkaClientMetrics } from './kafka-metrics.js';
import { readKafkaPartition } from './kafka-reader.js';
import { KafkaSender, recordBytes } from './kafka-sender.js';
import type {
  GroupDescription, GroupHandler, GroupMembership, LogRecord, PartitionLog, PartitionOffsets, ProduceRecord,
} from './partitioned-log.js';

const { AssignerProtocol, ConfigResourceTypes, Partitioners } = kafkajs;

/** Settings of the Kafka log. */
export interface KafkaLogOptions extends KafkaConnection {
  readonly topic: string;
  readonly clientId: string;
  readonly writeTimeoutMs: number;
  readonly autoCreatePartitions: number | null;
  readonly maxRecordBytes: number;
  readonly maxBufferedBytes: number;
  readonly compression: 'none' | 'gzip';
  readonly sessionTimeoutMs: number;
  /** How often a group member heartbeats (3 s when not given). */
  readonly heartbeatIntervalMs?: number;
}

const START_BACKOFF_MS = [500, 1000, 2000, 5000];
/** Room left in a record batch for Kafka's batch and record headers. */
const BATCH_OVERHEAD_BYTES = 16 * 1024;

/** PartitionLog on Kafka. */
export class KafkaLog implements PartitionLog {
  readonly kind = 'kafka';
  private kafka: Kafka | null = null;
  private admin: Admin | null = null;
  private producer: Producer | null = null;
  private sender: KafkaSender | null = null;
  private partitions = 0;
  private topicMaxMessageBytes = 1_048_588;
  private readonly members = new Set<GroupMembership>();

  constructor(
    private readonly opts: KafkaLogOptions,
    private readonly logger: Logger,
    private readonly metrics: KafkaClientMetrics | null = null,
  ) {}

  get topic(): string {
    return this.opts.topic;
  }

  private client(): Kafka {
    if (!this.kafka) throw new FjordError('log_unavailable', 'the Kafka log is not started');
    return this.kafka;
  }

  private adminClient(): Admin {
    if (!this.admin) throw new FjordError('log_unavailable', 'the Kafka log is not started');
    return this.admin;
  }

  async start(signal: AbortSignal): Promise<void> {
    this.kafka = createKafkaClient(this.opts, this.opts.clientId, this.logger);
    for (let attempt = 0; ; attempt++) {
      try {
        await this.connect();
        return;
      } catch (err) {
        await this.admin?.disconnect().catch(() => undefined);
        this.admin = null;
        if (signal.aborted) throw new FjordError('aborted', 'start aborted', { cause: err });
        if (err instanceof FjordError && !err.isRetryable) throw err;
        const wait = START_BACKOFF_MS[Math.min(attempt, START_BACKOFF_MS.length - 1)] as number;
        this.logger.warn({ brokers: this.opts.brokers.join(','), err: errorMessage(err), retry_in_ms: wait }, 'kafka not reachable yet');
        await new Promise((r) => setTimeout(r, wait));
        if (signal.aborted) throw new FjordError('aborted', 'start aborted');
      }
    }
  }

  private async connect(): Promise<void> {
    const admin = this.client().admin();
    await admin.connect();
    this.admin = admin;
    const exists = (await admin.listTopics()).includes(this.topic);
    if (!exists) {
      if (this.opts.autoCreatePartitions === null) {
        throw new FjordError('log_unavailable', `topic ${this.topic} does not exist and kafka_config.auto_create_topic_enabled is false`);
      }
      await this.createTopic(this.opts.autoCreatePartitions);
    }
    await this.loadTopic();
    const producer = this.client().producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      createPartitioner: Partitioners.DefaultPartitioner,
      retry: { retries: Number.MAX_SAFE_INTEGER, initialRetryTime: 100, maxRetryTime: 5000 },
    });
    await producer.connect();
    this.producer = producer;
    this.sender = new KafkaSender(producer, {
      topic: this.topic,
      writeTimeoutMs: this.opts.writeTimeoutMs,
      maxBufferedBytes: this.opts.maxBufferedBytes,
      maxBatchBytes: () => this.topicMaxMessageBytes - BATCH_OVERHEAD_BYTES,
      compression: this.opts.compression,
    }, this.metrics);
  }

  private async loadTopic(): Promise<void> {
    const admin = this.adminClient();
    const meta = await admin.fetchTopicMetadata({ topics: [this.topic] });
    this.partitions = meta.topics[0]?.partitions.length ?? 0;
    const cfg = await admin.describeConfigs({
      includeSynonyms: false,
      resources: [{ type: ConfigResourceTypes.TOPIC, name: this.topic, configNames: ['max.message.bytes'] }],
    });
    const v = cfg.resources[0]?.configEntries.find((e) => e.configName === 'max.message.bytes')?.configValue;
    if (v) this.topicMaxMessageBytes = Number(v);
  }

  async createTopic(partitions: number): Promise<boolean> {
    const created = await this.adminClient().createTopics({
      topics: [{ topic: this.topic, numPartitions: partitions, replicationFactor: -1 }],
      waitForLeaders: true,
    });
    if (created) this.logger.info({ topic: this.topic, partitions }, 'created topic');
    if (this.producer) await this.loadTopic();
    return created;
  }

  async stop(): Promise<void> {
    for (const m of [...this.members]) await m.leave().catch(() => undefined);
    await this.sender?.drain();
    await this.producer?.disconnect().catch(() => undefined);
    await this.admin?.disconnect().catch(() => undefined);
    this.producer = null;
    this.admin = null;
    this.sender = null;
  }

  partitionCount(): number {
    return this.partitions;
  }

  maxRecordBytes(): number {
    return Math.min(this.opts.maxRecordBytes, this.topicMaxMessageBytes - BATCH_OVERHEAD_BYTES);
  }

  async produce(partition: number, records: readonly ProduceRecord[], signal?: AbortSignal): Promise<number[]> {
    if (!this.sender) throw new FjordError('log_unavailable', 'the Kafka log is not started');
    if (partition < 0 || partition >= this.partitions || !Number.isInteger(partition)) {
      throw new FjordError('invalid_argument', `partition ${partition} does not exist (topic ${this.topic} has ${this.partitions})`);
    }
    const max = this.maxRecordBytes();
    for (const r of records) {
      if (recordBytes(r) > max + 32) {
        throw new FjordError('log_record_too_large', `record of ${r.value.length} bytes exceeds the maximum of ${max}`);
      }
    }
    return this.sender.produce(partition, records, signal);
  }

  read(partition: number, fromOffset: number, signal: AbortSignal): AsyncIterable<readonly LogRecord[]> {
    return readKafkaPartition(this.client(), this.topic, this.partitions, partition, fromOffset, signal, this.metrics);
  }

  async offsets(): Promise<PartitionOffsets[]> {
    const res = await this.adminClient().fetchTopicOffsets(this.topic);
    return res
      .map((p) => ({ partition: p.partition, start: Number(p.low), end: Number(p.high) }))
      .sort((a, b) => a.partition - b.partition);
  }

  async offsetForTime(partition: number, timestampMs: number): Promise<number> {
    const res = await this.adminClient().fetchTopicOffsetsByTimestamp(this.topic, timestampMs);
    const hit = res.find((p) => p.partition === partition);
    if (!hit) throw new FjordError('invalid_argument', `partition ${partition} does not exist`);
    return Number(hit.offset);
  }

  async joinGroup(groupId: string, clientId: string, handler: GroupHandler): Promise<GroupMembership> {
    const kafka = createKafkaClient(this.opts, clientId, this.logger);
    const membership = await joinKafkaGroup(kafka, this.topic, groupId, handler, this.logger.child({ group: groupId }), {
      sessionTimeoutMs: this.opts.sessionTimeoutMs,
      heartbeatIntervalMs: this.opts.heartbeatIntervalMs ?? 3000,
    });
    this.members.add(membership);
    return {
      get memberId() {
        return membership.memberId;
      },
      commit: (o) => membership.commit(o),
      seek: (p, o) => membership.seek(p, o),
      assigned: () => membership.assigned(),
      leave: async () => {
        this.members.delete(membership);
        await membership.leave();
      },
    };
  }

  async committedOffsets(groupId: string): Promise<Map<number, number>> {
    const res = await this.adminClient().fetchOffsets({ groupId, topics: [this.topic] });
    const out = new Map<number, number>();
    for (const p of res[0]?.partitions ?? []) {
      const o = Number(p.offset);
      if (o >= 0) out.set(p.partition, o);
    }
    return out;
  }

  async setCommittedOffsets(groupId: string, offsets: ReadonlyMap<number, number>): Promise<void> {
    try {
      await this.adminClient().setOffsets({
        groupId,
        topic: this.topic,
        partitions: [...offsets].map(([partition, offset]) => ({ partition, offset: String(offset) })),
      });
    } catch (err) {
      throw new FjordError('invalid_argument', `cannot set offsets of group ${groupId}: ${errorMessage(err)}`, { cause: err });
    }
  }

  async listGroups(prefix: string): Promise<string[]> {
    const { groups } = await this.adminClient().listGroups();
    return groups.map((g) => g.groupId).filter((g) => g.startsWith(prefix)).sort();
  }

  async describeGroup(groupId: string): Promise<GroupDescription> {
    const res = await this.adminClient().describeGroups([groupId]);
    const g = res.groups[0];
    if (!g) return { groupId, state: 'Dead', members: [] };
    return {
      groupId,
      state: g.state,
      members: g.members.map((m) => {
        const assignment = m.memberAssignment.length > 0 ? AssignerProtocol.MemberAssignment.decode(m.memberAssignment) : null;
        return {
          memberId: m.memberId,
          clientId: m.clientId,
          partitions: [...(assignment?.assignment[this.topic] ?? [])].sort((a, b) => a - b),
        };
      }),
    };
  }
}
