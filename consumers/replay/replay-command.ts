/**
 * `fjord replay`: resolve the asked ranges against the log, replay them with a temporary LevelDB
 * index, print progress on stderr and a summary on stdout. With the embedded log, run it while the
 * server is stopped (the log directory is locked by the process that has it open).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import {
  ProgressLine, RuntimeConfig, nsToMs, openCommandLog, openCommandStore, resolvePartitions, type CommandArgs,
  type CommandContext, type OperatorCommand, type PartitionLog,
} from '../../platform/index.js';
import { IndexWriter, LevelIndexTable, ingesterMetrics } from '../ingester/index.js';
import { StoreIndexedChunks } from './indexed-chunks.js';
import { replayProgressText, replaySummaryLines } from './progress.js';
import { REPLAY_COMMAND, parseReplayArgs, resolveRange, type OffsetBound, type ReplayRequest, type ResolvedRange } from './replay-args.js';
import { Replayer } from './replay.js';

async function offsetOf(log: PartitionLog, partition: number, bound: OffsetBound, end: number): Promise<number> {
  switch (bound.kind) {
    case 'offset':
      return bound.offset;
    case 'time':
      return log.offsetForTime(partition, nsToMs(bound.tsNs));
    case 'end':
      return end;
  }
}

/** The ranges to replay, each clamped to what its partition holds. */
async function resolveRanges(log: PartitionLog, req: ReplayRequest): Promise<ResolvedRange[]> {
  const partitions = resolvePartitions(req.partitions, log.partitionCount(), log.topic);
  const offsets = new Map((await log.offsets()).map((o) => [o.partition, o]));
  const out: ResolvedRange[] = [];
  for (const p of partitions) {
    const o = offsets.get(p) ?? { partition: p, start: 0, end: 0 };
    out.push(resolveRange(o, await offsetOf(log, p, req.from, o.end), await offsetOf(log, p, req.to, o.end)));
  }
  return out;
}

/** The `fjord replay` subcommand. */
export const replayCommand: OperatorCommand = {
  spec: REPLAY_COMMAND,
  async run(ctx: CommandContext, args: CommandArgs): Promise<number> {
    const req = parseReplayArgs(args);
    const cfg = ctx.config;
    const log = await openCommandLog(cfg, ctx.logger, ctx.signal);
    const cleanup: Array<() => Promise<unknown>> = [() => log.stop()];
    try {
      const store = await openCommandStore(cfg, ctx.logger, ctx.signal);
      cleanup.push(() => store.stop());
      const limits = new RuntimeConfig(cfg.runtime_config, cfg.limits_config, ctx.logger);
      await limits.start();
      cleanup.push(() => limits.stop());
      const ranges = await resolveRanges(log, req);
      for (const r of ranges) for (const note of r.notes) ctx.stderr.write(`replay: ${note}\n`);
      const dir = await mkdtemp(join(tmpdir(), 'fjord-replay-'));
      cleanup.push(() => rm(dir, { recursive: true, force: true }));
      const writerId = `replay-${hostname().replace(/[^A-Za-z0-9_.-]/g, '_')}-${Date.now()}`;
      const replayer = new Replayer({
        config: cfg, log, store, codecs: ctx.codecs, limits, logger: ctx.logger,
        index: new IndexWriter(new LevelIndexTable(dir), store, writerId, new StoreIndexedChunks(store)),
        metrics: ingesterMetrics(new Registry()),
      });
      const startedMs = Date.now();
      const line = new ProgressLine(ctx.stderr);
      ctx.stderr.write(`replay: topic ${log.topic}, ${ranges.map((r) => `partition ${r.partition} offsets ${r.fromOffset}..${r.toOffset}`).join(', ')}\n`);
      const states = await replayer.run(ranges, (s) => line.update(replayProgressText(s, Date.now(), startedMs)), ctx.signal);
      line.update(replayProgressText(states, Date.now(), startedMs), true);
      line.finish();
      const interrupted = ctx.signal.aborted;
      for (const l of replaySummaryLines(states, replayer.bundlesWritten, Date.now() - startedMs, interrupted)) ctx.stdout.write(`${l}\n`);
      return interrupted ? 1 : 0;
    } finally {
      for (const f of cleanup.reverse()) await f().catch(() => undefined);
    }
  },
};
