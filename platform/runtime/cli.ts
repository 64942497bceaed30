/**
 * Command-line parsing in Go's flag style, as Loki: `-name=value`, `--name=value`, `-name value`
 * (not for booleans), `-bool`. Words before the first flag name a subcommand (`index rebuild`).
 */
import { listFields } from '../../schemas/config/index.js';

/** Flags that steer the process rather than set config keys. */
const CONTROL_FLAGS = {
  'config.file': 'string',
  'config.expand-env': 'bool',
  'print-config': 'bool',
  'print-config-stderr': 'bool',
  help: 'bool',
  h: 'bool',
  version: 'bool',
} as const;
type ControlFlag = keyof typeof CONTROL_FLAGS;

/** The parsed command line. */
export interface CommandLine {
  readonly command: readonly string[];
  readonly control: Partial<Record<ControlFlag, string | true>>;
  /** Config flags in the order given, for buildConfig. */
  readonly flags: ReadonlyArray<readonly [string, string | true]>;
  /** Arguments of a subcommand (its own flags), untouched. */
  readonly rest: readonly string[];
}

function isBoolFlag(name: string): boolean {
  if (name in CONTROL_FLAGS) return CONTROL_FLAGS[name as ControlFlag] === 'bool';
  return listFields().some((e) => e.field.flag === name && e.field.kind === 'bool');
}

/** Parse argv (without node and script). Subcommand arguments after the command words go to `rest`. */
export function parseCommandLine(argv: readonly string[]): CommandLine {
  const command: string[] = [];
  let i = 0;
  while (i < argv.length && !(argv[i] as string).startsWith('-')) command.push(argv[i++] as string);
  if (command.length > 0) return { command, control: {}, flags: [], rest: argv.slice(i) };
  const control: Partial<Record<ControlFlag, string | true>> = {};
  const flags: Array<readonly [string, string | true]> = [];
  for (; i < argv.length; i++) {
    const arg = argv[i] as string;
    const body = arg.replace(/^--?/, '');
    const eq = body.indexOf('=');
    const name = eq >= 0 ? body.slice(0, eq) : body;
    let value: string | true = eq >= 0 ? body.slice(eq + 1) : true;
    if (value === true && !isBoolFlag(name) && i + 1 < argv.length) value = argv[++i] as string;
    if (name in CONTROL_FLAGS) control[name as ControlFlag] = value;
    else flags.push([name, value]);
  }
  return { command, control, flags, rest: [] };
}

/** `-help` text: every config flag with its key, default and help. */
export function helpText(): string {
  const lines = ['Usage: fjord [-config.file=fjord.yaml] [-target=all] [-<flag>=<value> …]', ''];
  lines.push('  -config.file string  YAML config file.');
  lines.push('  -config.expand-env   Expand ${VAR} and ${VAR:-default} in the config file.');
  lines.push('  -print-config        Print the effective config as YAML and exit.');
  lines.push('  -version             Print the version and exit.');
  lines.push('');
  for (const { path, field } of listFields().filter((e) => e.field.flag !== '')) {
    const def = Array.isArray(field.default) ? field.default.join(',') : String(field.default);
    lines.push(`  -${field.flag} ${field.kind}  (${path.join('.')}, default ${JSON.stringify(def)})`);
    lines.push(`        ${field.help}`);
  }
  return lines.join('\n') + '\n';
}
