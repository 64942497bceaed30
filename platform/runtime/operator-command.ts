/** What an operator subcommand (`fjord index rebuild`, `fjord replay`, `fjord offsets …`) is and gets. */
import type { CodecSet } from '../../schemas/index.js';
import type { FjordConfig } from '../../schemas/config/index.js';
import type { CommandArgs, CommandSpec } from './command-args.js';
import type { Logger } from '../logger.js';
import type { ProgressSink } from './progress-line.js';

/** What a subcommand runs with. */
export interface CommandContext {
  /** The effective config from `-config.file` and the config flags given. */
  readonly config: FjordConfig;
  readonly logger: Logger;
  readonly codecs: CodecSet;
  /** Results and summaries. */
  readonly stdout: ProgressSink;
  /** Progress lines. */
  readonly stderr: ProgressSink;
  /** Aborted on SIGINT / SIGTERM. */
  readonly signal: AbortSignal;
}

/** A subcommand: its spec (words, options, usage) and what it does; resolves with the exit code. */
export interface OperatorCommand {
  readonly spec: CommandSpec;
  run(ctx: CommandContext, args: CommandArgs): Promise<number>;
}
