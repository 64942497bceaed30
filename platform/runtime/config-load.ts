/** Reads the YAML config file (with optional env expansion) and builds the config with the flags. */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { FjordError, errorMessage } from '../../schemas/index.js';
import { buildConfig, expandEnv, type FjordConfig } from '../../schemas/config/index.js';
import type { CommandLine } from './cli.js';

/** Load the effective config for a command line; throws FjordError('invalid_config'). */
export function loadConfig(cli: CommandLine, env: NodeJS.ProcessEnv): FjordConfig {
  const path = cli.control['config.file'];
  let file: unknown = null;
  if (typeof path === 'string' && path !== '') {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (err) {
      throw new FjordError('invalid_config', `-config.file: cannot read ${path}: ${errorMessage(err)}`, { cause: err });
    }
    const expand = cli.control['config.expand-env'];
    if (expand === true || expand === 'true') text = expandEnv(text, env);
    try {
      file = parse(text);
    } catch (err) {
      throw new FjordError('invalid_config', `${path}: not valid YAML: ${errorMessage(err).split('\n')[0]}`, { cause: err });
    }
  } else if (path === true) {
    throw new FjordError('invalid_config', 'flag needs an argument: -config.file');
  }
  return buildConfig({ file, flags: cli.flags });
}
