/**
 * `fjord replay`: its options, their parsing, and how a requested range becomes the offsets
 * replayed on a partition. Pure.
 */
import {
  oneOf, parseOffsetArg, parsePartitionsArg, parseTimeArg, requiredText, type CommandArgs, type CommandSpec,
  type PartitionOffsets, type PartitionSelection,
} from '../../platform/index.js';

/** The spec of `fjord replay`. */
export const REPLAY_COMMAND: CommandSpec = {
  words: ['replay'],
  synopsis: '--partitions <0,1|all> (--from-offset N | --from-time T) [--to-offset N | --to-time T]',
  summary:
    'Re-consume a range of partitions into chunks and index bundles, as an ingester would, and flush everything at the end.\n' +
    'Idempotent: the same records give the same chunk keys. Without --to-*, replays up to the end of each partition as of the start.\n' +
    'Times are RFC3339 (2024-05-01T10:00:00Z) or Unix seconds; a time selects the first offset whose record time is at or after it.',
  options: [
    { name: 'partitions', kind: 'value', placeholder: '0,1|all', help: 'Partitions to replay: a list (ranges like 4-7 allowed) or all.' },
    { name: 'from-offset', kind: 'value', placeholder: 'N', help: 'First offset to replay (raised to the partition start if older).' },
    { name: 'from-time', kind: 'value', placeholder: 'T', help: 'Replay from the first record at or after this time.' },
    { name: 'to-offset', kind: 'value', placeholder: 'N', help: 'Stop before this offset (exclusive).' },
    { name: 'to-time', kind: 'value', placeholder: 'T', help: 'Stop before the first record at or after this time.' },
  ],
};

/** One end of a replay range as given. */
export type OffsetBound =
  | { readonly kind: 'offset'; readonly offset: number }
  | { readonly kind: 'time'; readonly tsNs: bigint }
  /** No end given: the partition's end offset when the replay starts. */
  | { readonly kind: 'end' };

/** A parsed `fjord replay` command line. */
export interface ReplayRequest {
  readonly partitions: PartitionSelection;
  readonly from: Exclude<OffsetBound, { kind: 'end' }>;
  readonly to: OffsetBound;
}

/** Parse the options of `fjord replay`. Throws FjordError('invalid_argument'). */
export function parseReplayArgs(args: CommandArgs): ReplayRequest {
  const partitions = parsePartitionsArg('partitions', requiredText(args, 'partitions'));
  const fromName = oneOf(args, ['from-offset', 'from-time'], true) as string;
  const from = fromName === 'from-offset'
    ? { kind: 'offset' as const, offset: parseOffsetArg(fromName, requiredText(args, fromName)) }
    : { kind: 'time' as const, tsNs: parseTimeArg(fromName, requiredText(args, fromName)) };
  const toName = oneOf(args, ['to-offset', 'to-time'], false);
  const to: OffsetBound = toName === null
    ? { kind: 'end' }
    : toName === 'to-offset'
      ? { kind: 'offset', offset: parseOffsetArg(toName, requiredText(args, toName)) }
      : { kind: 'time', tsNs: parseTimeArg(toName, requiredText(args, toName)) };
  return { partitions, from, to };
}

/** Offsets [fromOffset, toOffset) to replay on a partition, and why they differ from what was asked. */
export interface ResolvedRange {
  readonly partition: number;
  readonly fromOffset: number;
  readonly toOffset: number;
  readonly notes: readonly string[];
}

/**
 * Clamp an asked range to what the partition holds: a start before the partition's first offset
 * starts there (older records are gone), an end past its end offset stops there, and an end before
 * the start is an empty range.
 */
export function resolveRange(offsets: PartitionOffsets, fromOffset: number, toOffset: number): ResolvedRange {
  const notes: string[] = [];
  let from = fromOffset;
  let to = toOffset;
  if (from < offsets.start) {
    notes.push(`partition ${offsets.partition} starts at offset ${offsets.start} (older records are gone); replaying from there`);
    from = offsets.start;
  }
  if (to > offsets.end) {
    notes.push(`partition ${offsets.partition} ends at offset ${offsets.end}; replaying up to there`);
    to = offsets.end;
  }
  if (to < from) to = from;
  return { partition: offsets.partition, fromOffset: from, toOffset: to, notes };
}
