/**
 * When a rule group is evaluated, as Prometheus schedules it (`V:rules/group.go` EvalTimestamp,
 * run): on the group's interval, shifted by an offset hashed from its name and namespace so groups
 * spread over the interval; ticks that pass while an evaluation runs late are counted as missed
 * and skipped. Which ruler evaluates a group: the owner of its shard, FNV-1a of
 * `<tenant>/<namespace>/<group>` (Loki's by-group token) modulo the shard count. Pure.
 */
import { fnv1a_32, fnv1_32 } from '../../schemas/wire/index.js';
import { groupKey, type RuleGroupDesc } from './rule-group.js';

/** The group's offset within its interval, ms. */
export function groupOffsetMs(name: string, namespace: string, intervalMs: number): number {
  return fnv1_32(name, '\xff', namespace) % intervalMs;
}

/** The latest evaluation time of the group at or before `nowMs`. */
export function evalTimestampMs(nowMs: number, intervalMs: number, offsetMs: number): number {
  const adj = nowMs - offsetMs;
  return adj - (((adj % intervalMs) + intervalMs) % intervalMs) + offsetMs;
}

/** After an evaluation at `lastMs`, the next one due at `nowMs` or later, and the ticks missed meanwhile. */
export function nextEvaluation(lastMs: number, nowMs: number, intervalMs: number): { readonly atMs: number; readonly missed: number } {
  const behind = Math.floor((nowMs - lastMs) / intervalMs);
  const missed = Math.max(0, behind - 1);
  return { atMs: lastMs + (missed + 1) * intervalMs, missed };
}

/** The shard of a group among `shards`. */
export function groupShard(g: Pick<RuleGroupDesc, 'tenant' | 'namespace' | 'name'>, shards: number): number {
  return fnv1a_32(groupKey(g)) % shards;
}
