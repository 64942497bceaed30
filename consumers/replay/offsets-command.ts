/**
 * `fjord offsets show` and `fjord offsets reset`: a consumer group's committed offsets read and
 * set through the log (Kafka's admin API, or the embedded log's offset files). Loki has no API for
 * this (operators reset the group with Kafka's tools); these do the same for Fjord's groups. With
 * the embedded log, run them while the server is stopped.
 */
import {
  groupTopic, nsToMs, openCommandLog, resolvePartitions, type CommandArgs, type CommandContext, type GroupDescription,
  type OperatorCommand, type PartitionLog, type PartitionOffsets,
} from '../../platform/index.js';
import {
  OFFSETS_RESET_COMMAND, OFFSETS_SHOW_COMMAND, activeMembersError, clampOffset, formatOffsetsTable, parseOffsetsResetArgs,
  parseOffsetsShowArgs, type OffsetRow, type ResetTarget,
} from './offsets-args.js';

function owners(d: GroupDescription): Map<number, string> {
  const out = new Map<number, string>();
  for (const m of d.members) for (const p of m.partitions) out.set(p, m.clientId);
  return out;
}

/** The log of the topic `group` consumes (a control topic for the compactor and ruler groups). */
async function withLog<T>(ctx: CommandContext, group: string, f: (log: PartitionLog) => Promise<T>): Promise<T> {
  const k = ctx.config.kafka_config;
  const topic = groupTopic(group, k.consumer_group, k.topic);
  const log = await openCommandLog({ ...ctx.config, kafka_config: { ...k, topic } }, ctx.logger, ctx.signal);
  try {
    return await f(log);
  } finally {
    await log.stop().catch(() => undefined);
  }
}

/** The `fjord offsets show` subcommand. */
export const offsetsShowCommand: OperatorCommand = {
  spec: OFFSETS_SHOW_COMMAND,
  async run(ctx: CommandContext, args: CommandArgs): Promise<number> {
    const { group } = parseOffsetsShowArgs(args);
    return withLog(ctx, group, async (log) => {
      const d = await log.describeGroup(group);
      const committed = await log.committedOffsets(group);
      const own = owners(d);
      const rows: OffsetRow[] = (await log.offsets()).map((o) => ({
        partition: o.partition, committed: committed.get(o.partition) ?? null, start: o.start, end: o.end, owner: own.get(o.partition) ?? null,
      }));
      ctx.stdout.write(`group ${group} on topic ${log.topic}: ${d.state}, ${d.members.length} member${d.members.length === 1 ? '' : 's'}\n`);
      for (const line of formatOffsetsTable(rows)) ctx.stdout.write(`${line}\n`);
      return 0;
    });
  },
};

async function targetOffset(log: PartitionLog, o: PartitionOffsets, target: ResetTarget): Promise<number> {
  switch (target.kind) {
    case 'offset':
      return target.offset;
    case 'time':
      return log.offsetForTime(o.partition, nsToMs(target.tsNs));
    case 'earliest':
      return o.start;
    case 'latest':
      return o.end;
  }
}

/** The `fjord offsets reset` subcommand. */
export const offsetsResetCommand: OperatorCommand = {
  spec: OFFSETS_RESET_COMMAND,
  async run(ctx: CommandContext, args: CommandArgs): Promise<number> {
    const req = parseOffsetsResetArgs(args);
    return withLog(ctx, req.group, async (log) => {
      const refusal = activeMembersError(await log.describeGroup(req.group));
      if (refusal) throw refusal;
      const partitions = resolvePartitions(req.partitions, log.partitionCount(), log.topic);
      const offsets = new Map((await log.offsets()).map((o) => [o.partition, o]));
      const committed = await log.committedOffsets(req.group);
      const set = new Map<number, number>();
      const rows: OffsetRow[] = [];
      for (const p of partitions) {
        const o = offsets.get(p) ?? { partition: p, start: 0, end: 0 };
        const { offset, note } = clampOffset(await targetOffset(log, o, req.target), o);
        if (note) ctx.stderr.write(`offsets: ${note}\n`);
        set.set(p, offset);
        rows.push({ partition: p, committed: committed.get(p) ?? null, next: offset, start: o.start, end: o.end, owner: null });
      }
      if (!req.dryRun) {
        // Checked again right before writing: a consumer that joined meanwhile would overwrite the reset.
        const again = activeMembersError(await log.describeGroup(req.group));
        if (again) throw again;
        await log.setCommittedOffsets(req.group, set);
      }
      ctx.stdout.write(`group ${req.group} on topic ${log.topic}: ${req.dryRun ? 'would set (dry run)' : 'set'} ${set.size} partition${set.size === 1 ? '' : 's'}\n`);
      for (const line of formatOffsetsTable(rows)) ctx.stdout.write(`${line}\n`);
      return 0;
    });
  },
};
