/**
 * `fjord migrate check`: reads the old cluster's topic (offsets, each ingester zone's commits),
 * watches it for the quiet period, lists both stores' index bundles per tenant and period, and
 * compares the chunks they refer to (migrate-check.ts decides). Reads only; changes nothing.
 */
import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { FjordError, errorMessage, type CodecSet } from '../../schemas/index.js';
import { buildConfig, type FjordConfig } from '../../schemas/config/index.js';
import { decodeChunk } from '../../schemas/chunk/index.js';
import {
  chunkKey, indexPeriod, openIndexBundle, parseIndexBundleKey, type ChunkRef,
} from '../../schemas/index/index.js';
import {
  ingesterGroupPrefix, listAll, openCommandLog, openCommandStore, type CommandArgs, type CommandContext, type ObjectStore,
  type OperatorCommand,
} from '../../platform/index.js';
import {
  MIGRATE_CHECK_COMMAND, comparisonLines, migrationProblems, parseMigrateCheckArgs, type MigrateCheckRequest, type PartitionState,
  type TableComparison,
} from './migrate-check.js';

async function loadNewConfig(path: string): Promise<FjordConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new FjordError('invalid_argument', `--new-config: cannot read ${path}: ${errorMessage(err)}`, { cause: err });
  }
  try {
    return buildConfig({ file: parse(text) as unknown, flags: [] });
  } catch (err) {
    throw new FjordError('invalid_argument', `--new-config ${path}: ${errorMessage(err)}`, { cause: err });
  }
}

async function partitionStates(ctx: CommandContext, req: MigrateCheckRequest): Promise<PartitionState[]> {
  const log = await openCommandLog(ctx.config, ctx.logger, ctx.signal);
  try {
    const groups = await log.listGroups(ingesterGroupPrefix(ctx.config.kafka_config.consumer_group));
    const before = await log.offsets();
    const committed = new Map<string, Map<number, number>>();
    for (const g of groups) committed.set(g, await log.committedOffsets(g));
    ctx.stderr.write(`migrate: watching topic ${log.topic} for ${req.quietMs / 1000}s\n`);
    await new Promise((r) => setTimeout(r, req.quietMs));
    const after = new Map((await log.offsets()).map((o) => [o.partition, o.end]));
    return before.map((o) => ({
      partition: o.partition,
      end: o.end,
      endAfter: after.get(o.partition) ?? o.end,
      committed: new Map([...committed].flatMap(([g, c]) => (c.has(o.partition) ? [[g, c.get(o.partition) as number] as const] : []))),
    }));
  } finally {
    await log.stop().catch(() => undefined);
  }
}

interface Table {
  readonly tenant: string;
  readonly period: number;
  /** Chunk refs by key, with the stream labels. */
  readonly refs: Map<string, { ref: ChunkRef; labels: string }>;
}

/** The tables of a store (every tenant, or one) within the periods asked. */
async function tables(store: ObjectStore, req: MigrateCheckRequest, signal: AbortSignal): Promise<Map<string, Table>> {
  const out = new Map<string, Table>();
  const lo = req.fromNs === null ? -Infinity : indexPeriod(req.fromNs);
  const hi = req.toNs === null ? Infinity : indexPeriod(req.toNs);
  for await (const o of listAll(store, 'index/', signal)) {
    let parts;
    try {
      parts = parseIndexBundleKey(o.key);
    } catch {
      continue;
    }
    if ((req.tenant !== null && parts.tenant !== req.tenant) || parts.period < lo || parts.period > hi) continue;
    const id = `${parts.tenant}\u0000${parts.period}`;
    let t = out.get(id);
    if (!t) {
      t = { tenant: parts.tenant, period: parts.period, refs: new Map() };
      out.set(id, t);
    }
    const input = openIndexBundle(await store.get(o.key, signal)).toInput();
    const labels = new Map(input.series.map((s) => [s.fingerprint, JSON.stringify(s.labels)]));
    for (const ref of input.chunks) t.refs.set(chunkKey({ tenant: parts.tenant, ...ref }), { ref, labels: labels.get(ref.fingerprint) ?? '' });
  }
  return out;
}

function entryKeys(bytes: Uint8Array, codecs: CodecSet): string[] {
  const out: string[] = [];
  for (const b of decodeChunk(bytes, codecs).blocks) {
    for (let i = 0; i < b.count; i++) out.push(`${b.tsNs[i] as bigint}\u0000${Buffer.from(b.line(i)).toString('latin1')}`);
  }
  return out;
}

/** Compare one table: same keys first, then the rest by their entries against the new store's chunks of the stream. */
async function compareTable(ctx: CommandContext, oldStore: ObjectStore, newStore: ObjectStore, old: Table, now: Table | undefined): Promise<TableComparison> {
  const missing: string[] = [];
  let sameKey = 0;
  let byContent = 0;
  const newEntries = new Map<string, Set<string>>();
  for (const [key, { ref, labels }] of old.refs) {
    if (now?.refs.has(key)) {
      sameKey++;
      continue;
    }
    let have = newEntries.get(ref.fingerprint);
    if (!have) {
      have = new Set();
      for (const [k, n] of now?.refs ?? []) {
        if (n.ref.fingerprint === ref.fingerprint && n.labels === labels) for (const e of entryKeys(await newStore.get(k, ctx.signal), ctx.codecs)) have.add(e);
      }
      newEntries.set(ref.fingerprint, have);
    }
    const entries = entryKeys(await oldStore.get(key, ctx.signal), ctx.codecs);
    if (entries.every((e) => have.has(e))) byContent++;
    else missing.push(key);
  }
  return { tenant: old.tenant, period: old.period, oldChunks: old.refs.size, newChunks: now?.refs.size ?? 0, sameKey, byContent, missing };
}

function sameStore(a: FjordConfig, b: FjordConfig): boolean {
  const [x, y] = [a.common.storage, b.common.storage];
  if (x.s3.bucketnames !== '' || y.s3.bucketnames !== '') return x.s3.bucketnames === y.s3.bucketnames && x.s3.endpoint === y.s3.endpoint;
  return (x.filesystem.chunks_directory || `${a.common.path_prefix}/store`) === (y.filesystem.chunks_directory || `${b.common.path_prefix}/store`);
}

/** The `fjord migrate check` subcommand. */
export const migrateCheckCommand: OperatorCommand = {
  spec: MIGRATE_CHECK_COMMAND,
  async run(ctx: CommandContext, args: CommandArgs): Promise<number> {
    const req = parseMigrateCheckArgs(args);
    const newConfig = await loadNewConfig(req.newConfig);
    const partitions = await partitionStates(ctx, req);
    const oldStore = await openCommandStore(ctx.config, ctx.logger, ctx.signal);
    const newStore = await openCommandStore(newConfig, ctx.logger, ctx.signal);
    try {
      const shared = sameStore(ctx.config, newConfig);
      const oldTables = await tables(oldStore, req, ctx.signal);
      const newTables = shared ? oldTables : await tables(newStore, req, ctx.signal);
      const compared: TableComparison[] = [];
      for (const [id, t] of [...oldTables].sort(([a], [b]) => (a < b ? -1 : 1))) {
        compared.push(await compareTable(ctx, oldStore, newStore, t, newTables.get(id)));
        ctx.stderr.write(`migrate: compared ${compared.length} of ${oldTables.size} tables\n`);
      }
      ctx.stdout.write(`old topic ${ctx.config.kafka_config.topic}: ${partitions.length} partitions, ${partitions.reduce((n, p) => n + p.end, 0)} records\n`);
      if (shared) ctx.stdout.write('the old and new clusters share one store\n');
      for (const line of comparisonLines(compared)) ctx.stdout.write(`${line}\n`);
      const problems = migrationProblems(partitions, compared, req.quietMs);
      if (problems.length === 0) {
        ctx.stdout.write('the old cluster may be deleted: all its records are durable, it receives no writes, and the new store holds every chunk it indexes\n');
        return 0;
      }
      ctx.stdout.write(`the old cluster may not be deleted yet:\n${problems.map((p) => `  - ${p}`).join('\n')}\n`);
      return 1;
    } finally {
      await oldStore.stop().catch(() => undefined);
      await newStore.stop().catch(() => undefined);
    }
  },
};
