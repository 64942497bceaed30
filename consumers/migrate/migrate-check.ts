/**
 * `fjord migrate check`: its options, and the verdict on whether an old cluster may be deleted
 * once traffic goes to a new one (Loki's migration recipe: point writes at the new cluster,
 * `/flush` the old ingesters, check the new cluster sees everything, delete the old one). Three
 * things must hold: every record of the old topic is durable (some zone's ingesters committed
 * past it), nothing is produced to the old topic any more, and every chunk the old store's index
 * refers to is in the new store's — under the same key, or (when the new cluster cut its chunks
 * differently, e.g. after `fjord replay` of the old topic) with every entry of it found in the new
 * store's chunks of the same stream. Pure.
 */
import { FjordError } from '../../schemas/index.js';
import { parseDuration } from '../../schemas/config/index.js';
import { optionText, parseTimeArg, type CommandArgs, type CommandSpec } from '../../platform/index.js';

/** The spec of `fjord migrate check`. */
export const MIGRATE_CHECK_COMMAND: CommandSpec = {
  words: ['migrate', 'check'],
  synopsis: '--new-config <file> [--tenant <tenant>] [--from T] [--to T] [--quiet-period 10s]',
  summary:
    'Compare an old cluster (-config.file and config flags) with a new one (--new-config): are all records of the old topic\n' +
    'durable, has writing to it stopped, and does the new store hold every chunk the old one indexes, per tenant and period?\n' +
    'Exit code 0 when the old cluster may be deleted, 1 with the reasons when not yet.',
  options: [
    { name: 'new-config', kind: 'value', placeholder: 'FILE', help: 'The new cluster\'s config file.' },
    { name: 'tenant', kind: 'value', placeholder: 'T', help: 'Only this tenant (default: every tenant of the old store).' },
    { name: 'from', kind: 'value', placeholder: 'T', help: 'Only periods from this time (RFC3339 or Unix seconds).' },
    { name: 'to', kind: 'value', placeholder: 'T', help: 'Only periods up to this time.' },
    { name: 'quiet-period', kind: 'value', placeholder: 'D', help: 'How long the old topic must receive nothing (default 10s).' },
  ],
};

/** A parsed `fjord migrate check`. */
export interface MigrateCheckRequest {
  readonly newConfig: string;
  readonly tenant: string | null;
  readonly fromNs: bigint | null;
  readonly toNs: bigint | null;
  readonly quietMs: number;
}

/** Parse `fjord migrate check`. Throws FjordError('invalid_argument'). */
export function parseMigrateCheckArgs(args: CommandArgs): MigrateCheckRequest {
  const newConfig = optionText(args, 'new-config');
  if (newConfig === undefined) throw new FjordError('invalid_argument', '--new-config is required');
  const from = optionText(args, 'from');
  const to = optionText(args, 'to');
  const quiet = optionText(args, 'quiet-period') ?? '10s';
  const quietMs = parseDuration(quiet);
  if (quietMs === null) throw new FjordError('invalid_argument', `--quiet-period: ${JSON.stringify(quiet)} is not a duration`);
  return {
    newConfig,
    tenant: optionText(args, 'tenant') ?? null,
    fromNs: from === undefined ? null : parseTimeArg('from', from),
    toNs: to === undefined ? null : parseTimeArg('to', to),
    quietMs,
  };
}

/** A partition of the old topic: its end, and the committed offset of each ingester zone's group. */
export interface PartitionState {
  readonly partition: number;
  readonly end: number;
  /** End offset after the quiet period. */
  readonly endAfter: number;
  readonly committed: ReadonlyMap<string, number>;
}

/** One table (tenant, period) compared. */
export interface TableComparison {
  readonly tenant: string;
  readonly period: number;
  readonly oldChunks: number;
  readonly newChunks: number;
  /** Old chunks found under the same key in the new store. */
  readonly sameKey: number;
  /** Old chunks whose every entry was found in the new store's chunks of the stream. */
  readonly byContent: number;
  /** Old chunk keys with entries the new store lacks. */
  readonly missing: readonly string[];
}

/** Why the old cluster may not be deleted yet (empty: it may). */
export function migrationProblems(partitions: readonly PartitionState[], tables: readonly TableComparison[], quietMs: number): string[] {
  const problems: string[] = [];
  for (const p of partitions) {
    const durable = Math.max(-1, ...p.committed.values());
    if (p.committed.size === 0 && p.end > 0) problems.push(`partition ${p.partition}: no ingester group has consumed the old topic (${p.end} records)`);
    else if (p.end > 0 && durable < p.end) {
      problems.push(`partition ${p.partition}: ${p.end - Math.max(durable, 0)} records are not durable yet (committed ${durable}, end ${p.end}): POST /flush to the old ingesters and wait for their commits`);
    }
    if (p.endAfter !== p.end) problems.push(`partition ${p.partition}: ${p.endAfter - p.end} records were produced to the old topic in ${quietMs / 1000}s: point writes at the new cluster first`);
  }
  for (const t of tables) {
    if (t.missing.length > 0) problems.push(`tenant ${t.tenant}, period ${periodDate(t.period)}: ${t.missing.length} of ${t.oldChunks} old chunks are not in the new store (e.g. ${t.missing[0]})`);
  }
  return problems;
}

/** The first day of an index period, as YYYY-MM-DD. */
export function periodDate(period: number): string {
  return new Date(period * 86_400_000).toISOString().slice(0, 10);
}

/** The report's table lines. */
export function comparisonLines(tables: readonly TableComparison[]): string[] {
  const header = ['tenant', 'period', 'old chunks', 'new chunks', 'same key', 'by content', 'missing'];
  const rows = tables.map((t) => [t.tenant, periodDate(t.period), String(t.oldChunks), String(t.newChunks), String(t.sameKey), String(t.byContent), String(t.missing.length)]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
  return [header, ...rows].map((r) => r.map((c, i) => c.padEnd(widths[i] as number)).join('  ').trimEnd());
}
