/** Runs the real `fjord` command as a child process on a free port, for end-to-end tests. */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import type { TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import { onCleanup, waitUntil } from './env.js';

const fjordJs = fileURLToPath(new URL('../../fjord.js', import.meta.url));

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

/** A running fjord process. */
export interface FjordChild {
  readonly url: string;
  readonly port: number;
  readonly child: ChildProcess;
  /** Everything it wrote to stdout and stderr so far. */
  output(): string;
  /** Send SIGTERM and wait for the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Where and how a fjord process runs, when not the defaults. */
export interface StartOptions {
  /** Listen on this port rather than a free one. */
  readonly port?: number;
  /** Run this executable (a `fjord` entrypoint) rather than `node dist/fjord.js`. */
  readonly command?: string;
  readonly cwd?: string;
}

/** Start `fjord` with `args` (plus a free -server.http-listen-port); stopped when the test ends. */
export async function startFjord(t: TestContext, args: readonly string[], env: NodeJS.ProcessEnv = {}, opts: StartOptions = {}): Promise<FjordChild> {
  const port = opts.port ?? (await freePort());
  const own = [`-server.http-listen-port=${port}`, '-server.http-listen-address=127.0.0.1', ...args];
  const child = spawn(opts.command ?? process.execPath, opts.command ? own : [fjordJs, ...own], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
    ...(opts.cwd ? { cwd: opts.cwd } : {}),
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const stop = async (signal: NodeJS.Signals = 'SIGTERM') => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    return exited;
  };
  onCleanup(t, () => stop('SIGKILL'));
  return { url: `http://127.0.0.1:${port}`, port, child, output: () => out, stop };
}

/** Wait until `/ready` answers 200. */
export async function waitReady(f: FjordChild, timeoutMs = 20_000): Promise<void> {
  await waitUntil(
    `fjord on ${f.url} to be ready`,
    async () => {
      if (f.child.exitCode !== null) throw new Error(`fjord exited with ${f.child.exitCode}:\n${f.output()}`);
      const res = await fetch(`${f.url}/ready`).catch(() => null);
      return res?.status === 200;
    },
    timeoutMs,
    100,
  );
}
