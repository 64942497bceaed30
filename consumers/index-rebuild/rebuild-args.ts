/** `fjord index rebuild`: its options and their parsing. Pure. */
import { FjordError } from '../../schemas/index.js';
import { validateTenantId } from '../../schemas/labels/index.js';
import {
  optionText, parseCountArg, parseTimeArg, requiredText, type CommandArgs, type CommandSpec,
} from '../../platform/index.js';

/** The spec of `fjord index rebuild`. */
export const INDEX_REBUILD_COMMAND: CommandSpec = {
  words: ['index', 'rebuild'],
  synopsis: '--from <RFC3339|unix> --to <RFC3339|unix> [--tenant <tenant>] [--concurrency N]',
  summary:
    'Write fresh index bundles from the chunk objects overlapping a time range, reading only each chunk\'s header (a ranged get).\n' +
    'One bundle per period and tenant, named rebuild-<hash of its chunk keys>: rebuilding twice rewrites the same objects, and the\n' +
    'compactor merges the rebuilt refs with any already indexed.',
  options: [
    { name: 'from', kind: 'value', placeholder: 'T', help: 'Start of the range (RFC3339, e.g. 2024-05-01T00:00:00Z, or Unix seconds).' },
    { name: 'to', kind: 'value', placeholder: 'T', help: 'End of the range, inclusive.' },
    { name: 'tenant', kind: 'value', placeholder: 'ID', help: 'Only this tenant (default: every tenant in the store).' },
    { name: 'concurrency', kind: 'value', placeholder: 'N', help: 'Chunk headers read at once (default 32).' },
  ],
};

/** A parsed `fjord index rebuild`. */
export interface RebuildRequest {
  readonly fromNs: bigint;
  readonly toNs: bigint;
  readonly tenant: string | null;
  readonly concurrency: number;
}

const DEFAULT_CONCURRENCY = 32;

/** Parse the options of `fjord index rebuild`. Throws FjordError('invalid_argument'). */
export function parseRebuildArgs(args: CommandArgs): RebuildRequest {
  const fromNs = parseTimeArg('from', requiredText(args, 'from'));
  const toNs = parseTimeArg('to', requiredText(args, 'to'));
  if (toNs < fromNs) throw new FjordError('invalid_argument', '--to is before --from');
  const tenant = optionText(args, 'tenant') ?? null;
  if (tenant !== null) {
    try {
      validateTenantId(tenant);
    } catch (err) {
      throw new FjordError('invalid_argument', `--tenant: ${(err as Error).message}`, { cause: err });
    }
  }
  const c = optionText(args, 'concurrency');
  return { fromNs, toNs, tenant, concurrency: c === undefined ? DEFAULT_CONCURRENCY : parseCountArg('concurrency', c) };
}
