/**
 * The partitioned log port, split by role as mimir's ingest storage is: producer (distributor),
 * reader (replay), consumer groups (ingesters, compactors) and admin (queriers, operators). Two implementations: Kafka (kafka-log.ts, kafkajs) and the embedded log
 * (embedded/). Offsets are numbers (exact to 2^53); `end` offsets are the next offset to be written.
 */

/** One record to produce. */
export interface ProduceRecord {
  readonly key?: Uint8Array | null;
  readonly value: Uint8Array;
  readonly headers?: Readonly<Record<string, Uint8Array>>;
  /** Record time; defaults to the time of the produce. */
  readonly timestampMs?: number;
}

/** A record read from a partition. */
export interface LogRecord {
  readonly partition: number;
  readonly offset: number;
  readonly timestampMs: number;
  readonly key: Uint8Array | null;
  readonly value: Uint8Array;
  readonly headers: Readonly<Record<string, Uint8Array>>;
}

/** First offset still held and the next offset to be written, per partition. */
export interface PartitionOffsets {
  readonly partition: number;
  readonly start: number;
  readonly end: number;
}

/** A member of a consumer group as the group coordinator reports it. */
export interface GroupMemberInfo {
  readonly memberId: string;
  /** The member's client id; ingesters put their HTTP address here. */
  readonly clientId: string;
  readonly partitions: readonly number[];
}

/** A consumer group's members and their partitions. */
export interface GroupDescription {
  readonly groupId: string;
  readonly state: string;
  readonly members: readonly GroupMemberInfo[];
}

/**
 * What a group member does with its partitions. Calls for one partition never overlap; a batch
 * handler that takes long holds back consumption of that partition (back-pressure).
 */
export interface GroupHandler {
  /** Partitions just assigned; consumption starts at their committed offset, or the earliest one. */
  onAssigned(partitions: readonly number[]): Promise<void>;
  /** Partitions taken away; flush and commit what they hold. */
  onRevoked(partitions: readonly number[]): Promise<void>;
  /** Records of one partition in offset order; `endOffset` is the partition's end at fetch time. */
  onBatch(partition: number, records: readonly LogRecord[], endOffset: number): Promise<void>;
  /**
   * The member is not consuming (`why`: fetches fail or hang, the consumer crashed or restarts);
   * batches may lag the partitions' ends by any amount until `onConsumptionResumed`. The embedded
   * log never calls it. Calls of the two never overlap and come in the order of the events.
   */
  onConsumptionStopped?(why: string): Promise<void>;
  /** The member fetches again after `onConsumptionStopped`; a handler that throws hears it again at the next fetch. */
  onConsumptionResumed?(): Promise<void>;
}

/** This process's membership in a consumer group. */
export interface GroupMembership {
  readonly memberId: string;
  /** Commit, per partition, the next offset to consume. Only partitions this member owns. */
  commit(offsets: ReadonlyMap<number, number>): Promise<void>;
  /** Continue consuming an owned partition at `offset`. */
  seek(partition: number, offset: number): void;
  /** Partitions assigned to this member now. */
  assigned(): readonly number[];
  /** Leave the group (partitions are revoked first). */
  leave(): Promise<void>;
}

/** Producing to the topic: what the distributor needs (and the ingester, for dead letters). */
export interface LogProducer {
  readonly topic: string;
  /** Partitions of the topic (known after start). */
  partitionCount(): number;
  /** Largest record value the topic accepts, in bytes (known after start). */
  maxRecordBytes(): number;
  /** Append records to one partition, in order; resolves with their offsets once acknowledged by all replicas. */
  produce(partition: number, records: readonly ProduceRecord[], signal?: AbortSignal): Promise<number[]>;
}

/** Reading partitions by offset, outside any group: what replay needs. */
export interface LogReader {
  /** Partitions of the topic (known after start). */
  partitionCount(): number;
  /** Read a partition from `fromOffset` on, batch by batch, waiting for more at the end, until `signal` aborts. */
  read(partition: number, fromOffset: number, signal: AbortSignal): AsyncIterable<readonly LogRecord[]>;
  /** Start and end offsets of every partition. */
  offsets(signal?: AbortSignal): Promise<PartitionOffsets[]>;
  /** First offset of `partition` whose record time is at or after `timestampMs` (the end offset if none). */
  offsetForTime(partition: number, timestampMs: number, signal?: AbortSignal): Promise<number>;
}

/** Membership in consumer groups: what ingesters and compactors need to own partitions. */
export interface LogConsumerGroups {
  readonly topic: string;
  /** Join a consumer group; partitions come and go through `handler`. */
  joinGroup(groupId: string, clientId: string, handler: GroupHandler): Promise<GroupMembership>;
}

/** Looking at (and setting) the topic and its groups from outside: queriers, operators, ingesters at start. */
export interface LogAdmin {
  /** Create the topic with `partitions` partitions; false when it already exists. */
  createTopic(partitions: number): Promise<boolean>;
  /** Start and end offsets of every partition. */
  offsets(signal?: AbortSignal): Promise<PartitionOffsets[]>;
  /** Committed offsets of a group, by partition (partitions without a commit are absent). */
  committedOffsets(groupId: string, signal?: AbortSignal): Promise<Map<number, number>>;
  /** Set a group's committed offsets from outside it (the group must have no members). */
  setCommittedOffsets(groupId: string, offsets: ReadonlyMap<number, number>, signal?: AbortSignal): Promise<void>;
  describeGroup(groupId: string, signal?: AbortSignal): Promise<GroupDescription>;
  /** Ids of the consumer groups whose id starts with `prefix`, sorted. */
  listGroups(prefix: string, signal?: AbortSignal): Promise<string[]>;
}

/**
 * The partitioned log of one topic, in all its roles; components depend on the role they use.
 * `start` connects (retrying) and creates the topic if allowed.
 */
export interface PartitionLog extends LogProducer, LogReader, LogConsumerGroups, LogAdmin {
  readonly kind: 'kafka' | 'embedded';
  start(signal: AbortSignal): Promise<void>;
  stop(): Promise<void>;
}
