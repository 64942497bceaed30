/** Running `fjord <subcommand>` as a child process, and pushing to a running fjord, for operator-command tests. */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const fjordJs = fileURLToPath(new URL('../../fjord.js', import.meta.url));

/** What a finished command printed and its exit code. */
export interface CommandResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Run `node dist/fjord.js ...args` to completion (killed after `timeoutMs`). */
export function runFjord(args: readonly string[], timeoutMs = 120_000): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [fjordJs, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Run `node dist/fjord.js ...args` with its stdout closed before it writes (as `| head` does once it has read enough). */
export function runFjordClosedStdout(args: readonly string[], timeoutMs = 120_000): Promise<Omit<CommandResult, 'stdout'>> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [fjordJs, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}

/** One pushed stream: labels and [tsNs, line] entries. */
export interface PushedStream {
  readonly labels: Readonly<Record<string, string>>;
  readonly entries: ReadonlyArray<readonly [bigint, string]>;
}

/** POST a Loki JSON push for `tenant`; throws unless it is answered 204. */
export async function pushStreams(url: string, tenant: string, streams: readonly PushedStream[]): Promise<void> {
  const body = { streams: streams.map((s) => ({ stream: s.labels, values: s.entries.map(([ts, line]) => [ts.toString(), line]) })) };
  const res = await fetch(`${url}/loki/api/v1/push`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-scope-orgid': tenant },
    body: JSON.stringify(body),
  });
  if (res.status !== 204) throw new Error(`push answered ${res.status}: ${await res.text()}`);
}

/** `n` streams of `perStream` lines each, timestamps spread over the last half hour. */
export function someStreams(n: number, perStream: number, nowMs: number): PushedStream[] {
  return Array.from({ length: n }, (_, s) => ({
    labels: { service_name: `svc-${s}`, job: 'ops-test', instance: `i${s}` },
    entries: Array.from({ length: perStream }, (_, i) => {
      const ts = BigInt(nowMs - 30 * 60_000 + i * 1000 + s) * 1_000_000n + BigInt(i);
      return [ts, `stream ${s} line ${i} ${'x'.repeat(i % 17)}`] as const;
    }),
  }));
}
