/**
 * Starts the real Kafka broker and S3 server through deploy/local/ when the environment does not
 * name them (KAFKA_BROKERS, S3_ENDPOINT), and stops at the end only what it started.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** Environment additions for the test processes, and a stop for what was started here. */
export interface LocalServices {
  readonly env: Record<string, string>;
  stop(): Promise<void>;
}

const projectRoot = fileURLToPath(new URL('../../../', import.meta.url));

function runScript(script: string, command: string): { env: Record<string, string>; started: boolean } {
  const out = execFileSync('bash', [`deploy/local/${script}`, command], {
    cwd: projectRoot,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const env: Record<string, string> = {};
  let started = false;
  for (const line of out.split('\n')) {
    const eq = line.indexOf('=');
    if (eq <= 0) continue;
    const key = line.slice(0, eq);
    const value = line.slice(eq + 1).trim();
    if (key === 'state') started = value === 'started';
    else env[key] = value;
  }
  return { env, started };
}

/** Start Kafka and the S3 server unless `given` already names them. */
export async function startLocalServices(given: NodeJS.ProcessEnv): Promise<LocalServices> {
  const env: Record<string, string> = {};
  const startedScripts: string[] = [];
  const wanted: Array<[string, string]> = [];
  if (!given.KAFKA_BROKERS) wanted.push(['kafka.sh', 'KAFKA_BROKERS']);
  if (!given.S3_ENDPOINT) wanted.push(['s3.sh', 'S3_ENDPOINT']);
  for (const [script] of wanted) {
    const r = runScript(script, 'start');
    Object.assign(env, r.env);
    if (r.started) startedScripts.push(script);
  }
  return {
    env,
    async stop() {
      for (const script of startedScripts.reverse()) runScript(script, 'stop');
    },
  };
}
