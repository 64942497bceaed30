/**
 * Arguments of the operator subcommands (`fjord index rebuild`, `fjord replay`, `fjord offsets …`):
 * each command declares its options; on its command line an option is written `--name value`,
 * `--name=value` or `-name …`, and every other argument is a config flag (`-config.file=…`, storage
 * and Kafka settings), read as the server reads them. Values are parsed here: times (RFC3339 or
 * Unix seconds, as Loki's API parameters), offsets, partition lists. Errors are
 * FjordError('invalid_argument'). Pure.
 */
import { FjordError } from '../../schemas/index.js';

/** One option of a subcommand. */
export interface CommandOption {
  readonly name: string;
  /** `flag` takes no value. */
  readonly kind: 'value' | 'flag';
  /** The value's placeholder in the usage text (`N`, `T`, `0,1|all`). */
  readonly placeholder?: string;
  readonly help: string;
}

/** A subcommand's words, synopsis and options. */
export interface CommandSpec {
  readonly words: readonly string[];
  /** What follows the words in the usage line. */
  readonly synopsis: string;
  readonly summary: string;
  readonly options: readonly CommandOption[];
}

/** A subcommand's options as given, and the remaining (config) arguments. */
export interface CommandArgs {
  readonly options: ReadonlyMap<string, string | true>;
  readonly configArgs: readonly string[];
  readonly help: boolean;
}

/** Split a subcommand's arguments into its own options and config flags. */
export function splitCommandArgs(spec: CommandSpec, argv: readonly string[]): CommandArgs {
  const byName = new Map(spec.options.map((o) => [o.name, o]));
  const options = new Map<string, string | true>();
  const configArgs: string[] = [];
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (!arg.startsWith('-')) throw new FjordError('invalid_argument', `unexpected argument ${JSON.stringify(arg)}`);
    const body = arg.replace(/^--?/, '');
    const eq = body.indexOf('=');
    const name = eq >= 0 ? body.slice(0, eq) : body;
    if (name === 'help' || name === 'h') {
      help = true;
      continue;
    }
    const opt = byName.get(name);
    if (!opt) {
      // A config flag, with its value in the next argument when written `-name value`.
      configArgs.push(arg);
      const next = argv[i + 1];
      if (eq < 0 && next !== undefined && !next.startsWith('-')) configArgs.push(argv[++i] as string);
      continue;
    }
    if (options.has(name)) throw new FjordError('invalid_argument', `--${name} given twice`);
    if (opt.kind === 'flag') {
      if (eq >= 0) throw new FjordError('invalid_argument', `--${name} takes no value`);
      options.set(name, true);
      continue;
    }
    let value: string | undefined = eq >= 0 ? body.slice(eq + 1) : argv[++i];
    if (value === undefined || value === '') throw new FjordError('invalid_argument', `--${name} needs a value`);
    value = value.trim();
    options.set(name, value);
  }
  return { options, configArgs, help };
}

/** The usage text of a subcommand. */
export function commandUsage(spec: CommandSpec): string {
  const lines = [`Usage: fjord ${spec.words.join(' ')} ${spec.synopsis} [-config.file=fjord.yaml] [-<config flag>=<value> …]`, '', spec.summary, ''];
  const width = Math.max(...spec.options.map((o) => o.name.length + (o.placeholder ? o.placeholder.length + 1 : 0)));
  for (const o of spec.options) {
    const left = `--${o.name}${o.placeholder ? ` ${o.placeholder}` : ''}`;
    lines.push(`  ${left.padEnd(width + 3)}  ${o.help}`);
  }
  lines.push('', 'Storage and Kafka settings come from the config file and flags, as for the server (fjord -help lists them).');
  return lines.join('\n') + '\n';
}

/** The value of an option given as text, or undefined. Throws for a flag option used as a value. */
export function optionText(args: CommandArgs, name: string): string | undefined {
  const v = args.options.get(name);
  if (v === true) throw new FjordError('invalid_argument', `--${name} needs a value`);
  return v;
}

/** The one option of `names` that was given, or null; two given is an error. */
export function oneOf(args: CommandArgs, names: readonly string[], required: boolean): string | null {
  const given = names.filter((n) => args.options.has(n));
  if (given.length > 1) throw new FjordError('invalid_argument', `give only one of ${given.map((n) => `--${n}`).join(', ')}`);
  if (given.length === 0 && required) throw new FjordError('invalid_argument', `give one of ${names.map((n) => `--${n}`).join(', ')}`);
  return given[0] ?? null;
}

/** A required option's text. */
export function requiredText(args: CommandArgs, name: string): string {
  const v = optionText(args, name);
  if (v === undefined) throw new FjordError('invalid_argument', `--${name} is required`);
  return v;
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

/**
 * A time as Loki's API takes it: RFC3339 (`2024-05-01T10:00:00Z`, fractions to ns), or a Unix
 * timestamp: an integer of at most 10 digits or a decimal is seconds, a longer integer is
 * nanoseconds. Returns nanoseconds since the epoch.
 */
export function parseTimeArg(name: string, text: string): bigint {
  const s = text.trim();
  if (RFC3339.test(s)) {
    const ms = Date.parse(s.replace(/\.\d+/, ''));
    if (Number.isNaN(ms)) throw new FjordError('invalid_argument', `--${name}: ${JSON.stringify(text)} is not a valid RFC3339 time`);
    const frac = /\.(\d{1,9})/.exec(s)?.[1] ?? '';
    return BigInt(ms) * 1_000_000n + BigInt(frac.padEnd(9, '0') || '0');
  }
  if (/^\d{1,10}$/.test(s)) return BigInt(s) * 1_000_000_000n;
  if (/^\d+$/.test(s)) return BigInt(s);
  if (/^\d+\.\d+$/.test(s)) {
    const [whole, frac] = s.split('.') as [string, string];
    return BigInt(whole) * 1_000_000_000n + BigInt(frac.slice(0, 9).padEnd(9, '0'));
  }
  throw new FjordError('invalid_argument', `--${name}: ${JSON.stringify(text)} is not a time (RFC3339, e.g. 2024-05-01T10:00:00Z, or Unix seconds)`);
}

/** Milliseconds of a time in ns (floored). */
export function nsToMs(ns: bigint): number {
  const q = ns / 1_000_000n;
  return Number(ns < 0n && q * 1_000_000n !== ns ? q - 1n : q);
}

/** A non-negative integer offset. */
export function parseOffsetArg(name: string, text: string): number {
  const s = text.trim();
  if (!/^\d+$/.test(s) || !Number.isSafeInteger(Number(s))) throw new FjordError('invalid_argument', `--${name}: ${JSON.stringify(text)} is not an offset (a non-negative integer)`);
  return Number(s);
}

/** A positive integer. */
export function parseCountArg(name: string, text: string): number {
  const s = text.trim();
  if (!/^\d+$/.test(s) || Number(s) < 1 || !Number.isSafeInteger(Number(s))) throw new FjordError('invalid_argument', `--${name}: ${JSON.stringify(text)} is not a positive integer`);
  return Number(s);
}

/** Partitions named on the command line. */
export type PartitionSelection = { readonly kind: 'all' } | { readonly kind: 'list'; readonly partitions: readonly number[] };

/** `all` or a comma-separated list of partition numbers (ranges `2-5` allowed). */
export function parsePartitionsArg(name: string, text: string): PartitionSelection {
  const s = text.trim();
  if (s === 'all') return { kind: 'all' };
  const out = new Set<number>();
  for (const part of s.split(',')) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part.trim());
    if (!m) throw new FjordError('invalid_argument', `--${name}: ${JSON.stringify(text)} is not "all" or a list of partitions like 0,1,4-7`);
    const from = Number(m[1]);
    const to = m[2] === undefined ? from : Number(m[2]);
    if (to < from) throw new FjordError('invalid_argument', `--${name}: range ${part} ends before it starts`);
    for (let p = from; p <= to; p++) out.add(p);
  }
  return { kind: 'list', partitions: [...out].sort((a, b) => a - b) };
}

/** The partitions a selection names on a topic of `count` partitions; naming one that does not exist is an error. */
export function resolvePartitions(selection: PartitionSelection, count: number, topic: string): number[] {
  if (selection.kind === 'all') return Array.from({ length: count }, (_, p) => p);
  const missing = selection.partitions.filter((p) => p >= count);
  if (missing.length > 0) throw new FjordError('invalid_argument', `topic ${topic} has ${count} partitions (0-${count - 1}); there is no partition ${missing.join(', ')}`);
  return [...selection.partitions];
}
