#!/usr/bin/env node
/**
 * The `fjord` command and Fjord's composition root: the one place that sees pipeline/,
 * consumers/ and query/ together and hands their module factories to the runtime.
 */
import { stringify } from 'yaml';
import { errorMessage, FjordError, type CodecSet } from './schemas/index.js';
import { printableConfig } from './schemas/config/index.js';
import {
  FjordProcess, baseModules, commandUsage, createLogger, helpText, loadCodecs, loadConfig, modulesFor,
  parseCommandLine, readBuildInfo, splitCommandArgs, type ModuleContext, type ModuleFactories, type ModuleFactory,
} from './platform/index.js';
import { distributorModule } from './pipeline/index.js';
import { OPERATOR_COMMANDS, compactorModule, findOperatorCommand, ingesterModule } from './consumers/index.js';
import {
  buildQuerier, compileLogSelector, deleteFilter, querierWorkerService, queryFrontendModule, registerQueryRoutes, rulerModule, writePositionGate,
  type QueryBackend, type ReadYourWrites,
} from './query/index.js';

/**
 * The querier module. Beside a query frontend (targets `all`, `read`) it is the frontend's
 * in-process querier; alone it pulls work from `frontend_worker.frontend_address`, or, with no
 * frontend address, serves the Loki query API itself.
 */
function querierModule(codecs: CodecSet, version: string, share: Share): ModuleFactory {
  return (ctx) => {
    const { querier, service, readYourWrites } = buildQuerier(ctx, codecs);
    share.querier = querier;
    share.readYourWrites = readYourWrites;
    const withFrontend = modulesFor(ctx.config.target).includes('query-frontend');
    const worker = withFrontend ? null : querierWorkerService(ctx.config, querier, ctx.logger);
    if (!withFrontend && !worker) {
      registerQueryRoutes(ctx.server.app, {
        backend: querier,
        limits: ctx.runtimeConfig(),
        authEnabled: ctx.config.auth_enabled,
        multiTenantQueries: ctx.config.querier.multi_tenant_queries_enabled,
        tailMaxDurationMs: ctx.config.querier.tail_max_duration,
        logger: ctx.logger.child({ component: 'query-api' }),
        version,
        readYourWrites,
        patternsEnabled: ctx.config.pattern_ingester.enabled,
      });
    }
    return {
      name: 'querier',
      start: async (signal) => {
        await service.start(signal);
        await worker?.start(signal);
      },
      stop: async () => {
        await worker?.stop();
        await service.stop();
      },
    };
  };
}

/** What the querier module hands to the modules that use the process's querier. */
interface Share {
  querier: QueryBackend | null;
  readYourWrites: ReadYourWrites | null;
}

/**
 * Read-your-writes for the query frontend: the in-process querier's (built after the frontend in
 * some targets, so looked up per request), else one over the frontend's own view of the ring.
 */
function frontendReadYourWrites(share: Share): (ctx: ModuleContext) => ReadYourWrites {
  return (ctx) => {
    let own: ReadYourWrites | null = null;
    const gate = (): ReadYourWrites => share.readYourWrites ?? (own ??= writePositionGate(ctx));
    return { waitFor: (position, timeoutMs, signal) => gate().waitFor(position, timeoutMs, signal), freshness: (tenant, signal) => gate().freshness(tenant, signal) };
  };
}

/** Every module of the process, by name. */
function modules(codecs: CodecSet, version: string): ModuleFactories {
  const share: Share = { querier: null, readYourWrites: null };
  return {
    ...baseModules,
    distributor: distributorModule(codecs.zstd),
    ingester: ingesterModule(codecs),
    compactor: compactorModule({ codecs, compileSelector: compileLogSelector }),
    querier: querierModule(codecs, version, share),
    'query-frontend': queryFrontendModule({
      localQuerier: () => share.querier,
      version,
      cacheGeneration: (ctx) => {
        const deletes = deleteFilter(ctx);
        return (tenants, signal) => deletes.generation(tenants, Date.now(), signal);
      },
      readYourWrites: frontendReadYourWrites(share),
    }),
    ruler: rulerModule({ codecs, version, localQuerier: () => share.querier }),
  };
}

function fail(err: unknown): number {
  if (err instanceof FjordError && (err.code === 'invalid_config' || err.code === 'invalid_argument')) {
    const what = err.code === 'invalid_config' ? 'invalid configuration' : 'invalid argument';
    for (const line of err.message.split('\n')) process.stderr.write(`fjord: ${what}: ${line}\n`);
    return 1;
  }
  process.stderr.write(`fjord: ${errorMessage(err)}\n`);
  return 1;
}

/**
 * Run an operator subcommand (`fjord index rebuild …`, `fjord replay …`, `fjord offsets …`): its
 * own options plus config flags read as the server reads them. SIGINT or SIGTERM stops it at the
 * next safe point; a second one exits at once.
 */
async function runCommand(words: readonly string[], rest: readonly string[]): Promise<number> {
  const cmd = findOperatorCommand(words);
  if (!cmd) {
    const known = OPERATOR_COMMANDS.map((c) => c.spec.words.join(' ')).join(', ');
    return fail(new FjordError('invalid_argument', `unknown command: ${words.join(' ')} (commands: ${known})`));
  }
  const name = cmd.spec.words.join(' ');
  try {
    const args = splitCommandArgs(cmd.spec, rest);
    if (args.help) {
      process.stdout.write(commandUsage(cmd.spec));
      return 0;
    }
    const cli = parseCommandLine(args.configArgs);
    if (cli.command.length > 0) throw new FjordError('invalid_argument', `unexpected argument ${JSON.stringify(cli.command[0])}`);
    const config = loadConfig(cli, process.env);
    const logLevelGiven = cli.flags.some(([flag]) => flag === 'log.level');
    const logger = createLogger(logLevelGiven ? config.server.log_level : 'warn');
    // Node's process warnings (e.g. the AWS SDK's notice about future Node versions) would break
    // the one-line output of a command; they go to the logger instead.
    process.removeAllListeners('warning');
    process.on('warning', (w) => logger.debug({ warning: w.name }, w.message));
    const codecs = await loadCodecs();
    const abort = new AbortController();
    const onSignal = () => {
      if (abort.signal.aborted) process.exit(130);
      process.stderr.write(`fjord ${name}: stopping (again to exit at once)\n`);
      abort.abort();
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    return await cmd.run({ config, logger, codecs, stdout: process.stdout, stderr: process.stderr, signal: abort.signal }, args);
  } catch (err) {
    if (err instanceof FjordError && err.code === 'invalid_argument') {
      return fail(new FjordError('invalid_argument', `${err.message} (see fjord ${name} -help)`));
    }
    return fail(err);
  }
}

async function main(argv: readonly string[]): Promise<number> {
  const cli = parseCommandLine(argv);
  if (cli.control.help || cli.control.h) {
    const commands = OPERATOR_COMMANDS.map((c) => `  fjord ${c.spec.words.join(' ')} ${c.spec.synopsis}`);
    process.stdout.write(`${helpText()}\nOperator commands (each takes -help, and the config flags above):\n${commands.join('\n')}\n`);
    return 0;
  }
  const build = readBuildInfo(process.env);
  if (cli.control.version) {
    process.stdout.write(`fjord, version ${build.version} (revision ${build.revision})\n`);
    return 0;
  }
  if (cli.command.length > 0) return runCommand(cli.command, cli.rest);
  const config = loadConfig(cli, process.env);
  if (cli.control['print-config'] || cli.control['print-config-stderr']) {
    const out = stringify(printableConfig(config));
    (cli.control['print-config-stderr'] ? process.stderr : process.stdout).write(out);
    if (cli.control['print-config']) return 0;
  }
  const logger = createLogger(config.server.log_level);
  const codecs = await loadCodecs();
  logger.info({ zstd: codecs.zstd.implementation }, 'codecs loaded');
  const proc = new FjordProcess(config, modules(codecs, build.version), build, logger);
  const signalled = new Promise<string>((resolve) => {
    process.once('SIGTERM', () => resolve('SIGTERM'));
    process.once('SIGINT', () => resolve('SIGINT'));
    void proc.context.stopRequested.then(() => resolve('shutdown requested'));
  });
  const started = proc.start().then(
    () => null,
    (err: unknown) => err,
  );
  const first = await Promise.race([signalled, started]);
  if (first instanceof Error || (first !== null && typeof first !== 'string')) {
    logger.error({ err: first }, `start-up failed: ${errorMessage(first)}`);
    await proc.stop();
    return 1;
  }
  const signal = typeof first === 'string' ? first : await signalled;
  logger.info({ signal }, 'stopping Fjord');
  const clean = await proc.stop();
  if (!clean) logger.error({}, 'modules did not stop within server.graceful_shutdown_timeout');
  logger.info({}, 'Fjord stopped');
  return clean ? 0 : 1;
}

// A reader that goes away early (`fjord offsets show | head`) ends the process quietly, as SIGPIPE
// ends Loki's: nothing more can be written, and it is no error of Fjord's.
for (const out of [process.stdout, process.stderr]) {
  out.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err;
    process.exit(process.exitCode ?? 0);
  });
}

process.on('uncaughtException', (err) => {
  process.stderr.write(JSON.stringify({ level: 'error', time: new Date().toISOString(), msg: `uncaught exception: ${err.message}`, err: { message: err.message, stack: err.stack } }) + '\n');
  process.exit(1);
});

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
    setTimeout(() => process.exit(code), 100).unref();
  },
  (err: unknown) => {
    process.exitCode = fail(err);
  },
);
