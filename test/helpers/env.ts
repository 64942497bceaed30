/**
 * Test resources: unique names, temp directories, and the real services' addresses from the
 * environment (set by `npm test`, which starts them through deploy/local/ when not given).
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';

/** `prefix` plus a random suffix, valid as a Kafka topic, group id and S3 bucket name. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
}

/** A fresh temp directory removed when the test ends. */
export async function tempDir(t: TestContext, prefix = 'fjord-test'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `${prefix}-`));
  onCleanup(t, () => rm(dir, { recursive: true, force: true }));
  return dir;
}

const cleanups = new WeakMap<TestContext, Array<() => unknown>>();

/**
 * Run `fn` when the test ends, after everything registered later (the reverse of set-up order,
 * so a process is stopped before its directory is removed). Every step runs even when one fails;
 * the first failure is reported.
 */
export function onCleanup(t: TestContext, fn: () => unknown): void {
  let stack = cleanups.get(t);
  if (stack === undefined) {
    const steps: Array<() => unknown> = [];
    stack = steps;
    cleanups.set(t, steps);
    t.after(async () => {
      let first: unknown = null;
      while (steps.length > 0) {
        try {
          await (steps.pop() as () => unknown)();
        } catch (err) {
          first ??= err;
        }
      }
      if (first !== null) throw first;
    });
  }
  stack.push(fn);
}

function required(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: run the suite with \`npm test\`, which starts the real services, or set it`);
  return v;
}

/** Brokers of the real Kafka. */
export function kafkaBrokers(): string[] {
  return required('KAFKA_BROKERS').split(',');
}

/** Connection settings of the real S3-compatible server. */
export function s3Settings(): { endpoint: string; region: string; accessKeyId: string; secretAccessKey: string } {
  return {
    endpoint: required('S3_ENDPOINT'),
    region: process.env.S3_REGION ?? 'us-east-1',
    accessKeyId: required('S3_ACCESS_KEY_ID'),
    secretAccessKey: required('S3_SECRET_ACCESS_KEY'),
  };
}

/** Poll `check` every `everyMs` until it returns a truthy value or `timeoutMs` passes (then throw `what`). */
export async function waitUntil<T>(what: string, check: () => Promise<T> | T, timeoutMs = 10_000, everyMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
