/**
 * Which rule groups this ruler evaluates, through the partitioned log's group membership (as the
 * compactor's leadership): every ruler joins consumer group `<kafka_config.consumer_group>-ruler`
 * on the control topic `<kafka_config.topic>.ruler`, whose partitions are the shards of rule
 * groups; the group coordinator gives each shard to one member, moves a departed member's shards
 * to the others, and after the session timeout those of a dead one. A member's client id is its
 * HTTP address, so the rules API can ask the other rulers for their groups. Nothing is produced
 * to or consumed from the topic; ownership is the message. With the embedded log the group lives
 * in the process and its one ruler owns every shard.
 *
 * Kafka tells the old and the new owner of a shard about the same time, so a group may be
 * evaluated twice or skipped for a moment during a rebalance.
 */
import { errorMessage } from '../../schemas/index.js';
import type { GroupHandler, GroupMembership, LogAdmin, LogConsumerGroups, Logger } from '../../platform/index.js';

/** The log roles shard ownership uses. */
export type ShardLog = LogConsumerGroups & Pick<LogAdmin, 'describeGroup'> & { partitionCount(): number };

/** This ruler's shards, and news when they change. */
export class RulerShards implements GroupHandler {
  private readonly owned = new Set<number>();
  private membership: GroupMembership | null = null;
  private onChange: () => Promise<void> = async () => undefined;

  constructor(
    private readonly log: ShardLog,
    private readonly groupId: string,
    /** This ruler's HTTP address (`http://host:port`). */
    readonly address: string,
    private readonly logger: Logger,
  ) {}

  /** Join the group; `onChange` is awaited after every change of the owned shards. */
  async start(onChange: () => Promise<void>): Promise<void> {
    this.onChange = onChange;
    this.membership = await this.log.joinGroup(this.groupId, this.address, this);
    this.logger.info({ group: this.groupId, topic: this.log.topic, shards: this.count() }, 'joined the ruler group');
  }

  async stop(): Promise<void> {
    const m = this.membership;
    this.membership = null;
    await m?.leave().catch((err) => this.logger.warn({ err: errorMessage(err) }, 'leaving the ruler group failed'));
    this.owned.clear();
  }

  /** Shards in all (the control topic's partitions). */
  count(): number {
    return this.log.partitionCount();
  }

  owns(shard: number): boolean {
    return this.owned.has(shard);
  }

  ownedCount(): number {
    return this.owned.size;
  }

  /** HTTP addresses of the other rulers that own shards now. */
  async peers(signal?: AbortSignal): Promise<string[]> {
    const desc = await this.log.describeGroup(this.groupId, signal);
    return desc.members.filter((m) => m.partitions.length > 0 && m.clientId !== this.address).map((m) => m.clientId).sort();
  }

  async onAssigned(partitions: readonly number[]): Promise<void> {
    for (const p of partitions) this.owned.add(p);
    this.logger.info({ shards: [...this.owned].sort((a, b) => a - b).join(',') }, 'ruler shards assigned');
    await this.onChange();
  }

  async onRevoked(partitions: readonly number[]): Promise<void> {
    for (const p of partitions) this.owned.delete(p);
    await this.onChange();
  }

  async onBatch(): Promise<void> {
    // The control topic carries no records that matter.
  }
}
