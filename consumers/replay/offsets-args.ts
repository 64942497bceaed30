/**
 * `fjord offsets show` and `fjord offsets reset`: their options, their parsing, the offset a reset
 * sets on a partition, and the table both print. Pure.
 */
import { FjordError } from '../../schemas/index.js';
import {
  oneOf, parseOffsetArg, parsePartitionsArg, parseTimeArg, requiredText, type CommandArgs, type CommandSpec,
  type GroupDescription, type PartitionOffsets, type PartitionSelection,
} from '../../platform/index.js';

/** The spec of `fjord offsets show`. */
export const OFFSETS_SHOW_COMMAND: CommandSpec = {
  words: ['offsets', 'show'],
  synopsis: '--group <group>',
  summary: 'Print a consumer group\'s committed offset, the partition\'s start and end offsets, the lag and the owning member, per partition.',
  options: [{ name: 'group', kind: 'value', placeholder: 'G', help: 'Consumer group, e.g. fjord-ingester-default.' }],
};

/** The spec of `fjord offsets reset`. */
export const OFFSETS_RESET_COMMAND: CommandSpec = {
  words: ['offsets', 'reset'],
  synopsis: '--group <group> --partitions <0,1|all> (--to-offset N | --to-time T | --to-earliest | --to-latest) [--dry-run]',
  summary:
    'Set a consumer group\'s committed offsets, e.g. to make the ingesters of a zone replay from a point on their next start.\n' +
    'The group must have no active members: stop its consumers first. Offsets outside a partition\'s start..end are clamped.',
  options: [
    { name: 'group', kind: 'value', placeholder: 'G', help: 'Consumer group, e.g. fjord-ingester-default.' },
    { name: 'partitions', kind: 'value', placeholder: '0,1|all', help: 'Partitions to reset: a list (ranges like 4-7 allowed) or all.' },
    { name: 'to-offset', kind: 'value', placeholder: 'N', help: 'Set this offset (the next one the group consumes).' },
    { name: 'to-time', kind: 'value', placeholder: 'T', help: 'Set the first offset whose record time is at or after T (RFC3339 or Unix seconds).' },
    { name: 'to-earliest', kind: 'flag', help: 'Set the partition\'s first offset still held.' },
    { name: 'to-latest', kind: 'flag', help: 'Set the partition\'s end offset (skip everything written so far).' },
    { name: 'dry-run', kind: 'flag', help: 'Print what would be set, set nothing.' },
  ],
};

/** Where a reset puts a partition. */
export type ResetTarget =
  | { readonly kind: 'offset'; readonly offset: number }
  | { readonly kind: 'time'; readonly tsNs: bigint }
  | { readonly kind: 'earliest' }
  | { readonly kind: 'latest' };

/** A parsed `fjord offsets reset`. */
export interface OffsetsResetRequest {
  readonly group: string;
  readonly partitions: PartitionSelection;
  readonly target: ResetTarget;
  readonly dryRun: boolean;
}

function groupArg(args: CommandArgs): string {
  const g = requiredText(args, 'group');
  if (!/^[A-Za-z0-9._-]{1,249}$/.test(g)) throw new FjordError('invalid_argument', `--group: ${JSON.stringify(g)} is not a consumer group name`);
  return g;
}

/** Parse `fjord offsets show`. */
export function parseOffsetsShowArgs(args: CommandArgs): { group: string } {
  return { group: groupArg(args) };
}

/** Parse `fjord offsets reset`. Throws FjordError('invalid_argument'). */
export function parseOffsetsResetArgs(args: CommandArgs): OffsetsResetRequest {
  const group = groupArg(args);
  const partitions = parsePartitionsArg('partitions', requiredText(args, 'partitions'));
  const which = oneOf(args, ['to-offset', 'to-time', 'to-earliest', 'to-latest'], true);
  let target: ResetTarget;
  switch (which) {
    case 'to-offset':
      target = { kind: 'offset', offset: parseOffsetArg(which, requiredText(args, which)) };
      break;
    case 'to-time':
      target = { kind: 'time', tsNs: parseTimeArg(which, requiredText(args, which)) };
      break;
    case 'to-earliest':
      target = { kind: 'earliest' };
      break;
    default:
      target = { kind: 'latest' };
  }
  return { group, partitions, target, dryRun: args.options.has('dry-run') };
}

/** An offset kept within a partition's start..end, and a note when it was moved. */
export function clampOffset(offset: number, o: PartitionOffsets): { offset: number; note: string | null } {
  if (offset < o.start) return { offset: o.start, note: `partition ${o.partition}: offset ${offset} is before the partition start ${o.start}; using ${o.start}` };
  if (offset > o.end) return { offset: o.end, note: `partition ${o.partition}: offset ${offset} is past the partition end ${o.end}; using ${o.end}` };
  return { offset, note: null };
}

/** The refusal when a group has members, or null when it has none. */
export function activeMembersError(d: GroupDescription): FjordError | null {
  if (d.members.length === 0) return null;
  const who = d.members.map((m) => m.clientId).join(', ');
  return new FjordError('invalid_argument', `group ${d.groupId} has ${d.members.length} active member${d.members.length === 1 ? '' : 's'} (${who}); stop them before resetting its offsets`);
}

/** One row of the offsets table. */
export interface OffsetRow {
  readonly partition: number;
  readonly committed: number | null;
  readonly start: number;
  readonly end: number;
  readonly owner: string | null;
  /** For a reset: the offset set (or to be set). */
  readonly next?: number;
}

/** The offsets table, aligned; lag is end − committed (end − start with no commit). */
export function formatOffsetsTable(rows: readonly OffsetRow[]): string[] {
  const withNext = rows.some((r) => r.next !== undefined);
  const header = ['PARTITION', 'COMMITTED', ...(withNext ? ['NEW'] : []), 'START', 'END', 'LAG', 'OWNER'];
  const body = rows.map((r) => {
    const base = r.next ?? r.committed ?? r.start;
    return [
      String(r.partition), r.committed === null ? '-' : String(r.committed), ...(withNext ? [String(r.next ?? '-')] : []),
      String(r.start), String(r.end), String(Math.max(0, r.end - base)), r.owner ?? '-',
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => (row[i] as string).length)));
  return [header, ...body].map((row) => row.map((c, i) => (i === row.length - 1 ? c : c.padEnd(widths[i] as number))).join('  ').trimEnd());
}
