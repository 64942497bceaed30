/**
 * Work a kafkajs group member does before it re-joins its group. kafkajs 2 has no revoke callback
 * ahead of JoinGroup (its GROUP_JOIN event comes after SyncGroup, when the new owners already run),
 * so `ConsumerGroup.joinAndSync` is wrapped once per process: a member that was in the group (it
 * still has a member id) runs the hook registered for its group and member id before it sends
 * JoinGroup. The rebalance waits for it (up to the rebalance timeout); meanwhile the member keeps
 * heartbeating, which keeps it in the group while the coordinator prepares the rebalance.
 */
import { createRequire } from 'node:module';

/** The part of kafkajs's internal ConsumerGroup the hook uses. */
interface KafkajsConsumerGroup {
  readonly groupId: string;
  memberId: string | null;
  generationId: number | null;
  coordinator: { heartbeat(p: { groupId: string; memberId: string; groupGenerationId: number | null }): Promise<unknown> } | null;
  joinAndSync(): Promise<void>;
}

interface Hook {
  readonly run: () => Promise<void>;
  readonly heartbeatEveryMs: number;
}

const hooks = new Map<string, Hook>();
let installed = false;

const hookKey = (groupId: string, memberId: string) => `${groupId}\u0000${memberId}`;

async function runHeartbeating(group: KafkajsConsumerGroup, hook: Hook): Promise<void> {
  const { groupId, memberId, generationId, coordinator } = group;
  const beat = () => {
    if (coordinator && memberId) void coordinator.heartbeat({ groupId, memberId, groupGenerationId: generationId }).catch(() => undefined);
  };
  const timer = setInterval(beat, hook.heartbeatEveryMs);
  try {
    await hook.run();
  } finally {
    clearInterval(timer);
  }
}

function install(): void {
  if (installed) return;
  installed = true;
  const load = createRequire(import.meta.url);
  const ConsumerGroup = load('kafkajs/src/consumer/consumerGroup.js') as { prototype: KafkajsConsumerGroup };
  const original = ConsumerGroup.prototype.joinAndSync;
  ConsumerGroup.prototype.joinAndSync = async function joinAndSync(this: KafkajsConsumerGroup): Promise<void> {
    const hook = this.memberId ? hooks.get(hookKey(this.groupId, this.memberId)) : undefined;
    if (hook) await runHeartbeating(this, hook);
    return original.call(this);
  };
}

/** Run `run` before member `memberId` of `groupId` re-joins; returns the function that removes the hook. */
export function beforeRejoin(groupId: string, memberId: string, heartbeatEveryMs: number, run: () => Promise<void>): () => void {
  install();
  const key = hookKey(groupId, memberId);
  const hook = { run, heartbeatEveryMs };
  hooks.set(key, hook);
  return () => {
    if (hooks.get(key) === hook) hooks.delete(key);
  };
}
