/** The operator subcommands of the `fjord` command, by their words. */
import type { OperatorCommand } from '../platform/index.js';
import { indexRebuildCommand } from './index-rebuild/rebuild-command.js';
import { migrateCheckCommand } from './migrate/migrate-command.js';
import { offsetsResetCommand, offsetsShowCommand } from './replay/offsets-command.js';
import { replayCommand } from './replay/replay-command.js';

/** Every subcommand, in the order `fjord` lists them. */
export const OPERATOR_COMMANDS: readonly OperatorCommand[] = [indexRebuildCommand, replayCommand, offsetsShowCommand, offsetsResetCommand, migrateCheckCommand];

/** The subcommand named by `words`, or null. */
export function findOperatorCommand(words: readonly string[]): OperatorCommand | null {
  return OPERATOR_COMMANDS.find((c) => c.spec.words.length === words.length && c.spec.words.every((w, i) => w === words[i])) ?? null;
}
