/**
 * Compactor leadership through the partitioned log: every compactor joins consumer group
 * `<kafka_config.consumer_group>-compactor` (`fjord-compactor`) on a one-partition control topic, and the member the group assigns partition 0
 * is the leader. Kafka's group coordinator (or, with the embedded log, the in-process group) keeps
 * at most one owner per partition, hands the partition to another member when the leader leaves,
 * and after the session timeout when it dies. Nothing is produced to or consumed from the topic.
 *
 * Kafka's rebalance tells the old and the new owner at about the same time, so two compactors may
 * both act as leader for a moment. That is safe: a round only ever uploads a bundle holding every
 * live ref of its inputs before deleting the inputs, and a compactor that finds an input gone skips
 * that table. Leadership avoids duplicate work; correctness does not rest on it.
 */
import { errorMessage } from '../../schemas/index.js';
import type { GroupHandler, GroupMembership, Logger, LogConsumerGroups } from '../../platform/index.js';

/** Whether this instance leads, and news when that changes. */
export interface Leadership {
  /** Join; `onChange` is awaited on every change (on loss, the caller stops its work before it returns). */
  start(onChange: (isLeader: boolean) => Promise<void>): Promise<void>;
  stop(): Promise<void>;
  isLeader(): boolean;
}

/** Leadership as the owner of partition 0 of a consumer group on a started log. */
export class GroupLeadership implements Leadership, GroupHandler {
  private leader = false;
  private membership: GroupMembership | null = null;
  private onChange: (isLeader: boolean) => Promise<void> = async () => undefined;

  constructor(
    private readonly log: LogConsumerGroups,
    private readonly groupId: string,
    private readonly clientId: string,
    private readonly logger: Logger,
  ) {}

  async start(onChange: (isLeader: boolean) => Promise<void>): Promise<void> {
    this.onChange = onChange;
    this.membership = await this.log.joinGroup(this.groupId, this.clientId, this);
    this.logger.info({ group: this.groupId, topic: this.log.topic }, 'joined the compactor group');
  }

  async stop(): Promise<void> {
    const m = this.membership;
    this.membership = null;
    await m?.leave().catch((err) => this.logger.warn({ err: errorMessage(err) }, 'leaving the compactor group failed'));
    if (this.leader) await this.set(false);
  }

  isLeader(): boolean {
    return this.leader;
  }

  private async set(leader: boolean): Promise<void> {
    if (this.leader === leader) return;
    this.leader = leader;
    this.logger.info({ group: this.groupId }, leader ? 'this compactor is now the leader' : 'this compactor is no longer the leader');
    await this.onChange(leader);
  }

  async onAssigned(partitions: readonly number[]): Promise<void> {
    if (partitions.includes(0)) await this.set(true);
  }

  async onRevoked(partitions: readonly number[]): Promise<void> {
    if (partitions.includes(0)) await this.set(false);
  }

  async onBatch(): Promise<void> {
    // The control topic carries no records that matter; ownership is the message.
  }
}
