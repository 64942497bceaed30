/**
 * The container image, without a container engine: the Dockerfile's final stage is read for its
 * entrypoint, command, user and files; the image's /app is assembled on the host by the same
 * deploy/docker/assemble.sh the build stage runs (production dependencies and dist/ without the
 * tests); and the image's command line runs from that tree, with the image's paths (/app,
 * /etc/fjord, the /var/fjord volume) mapped to temp directories. It must start, take a push and
 * answer a query: nothing it loads may come from a devDependency or the test tree.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import test from 'node:test';
import { promisify } from 'node:util';
import { tempDir, waitUntil } from '../helpers/env.js';
import { pushStreams } from '../helpers/fjord-command.js';
import { startFjord, waitReady } from '../helpers/fjord-process.js';
import { projectRoot } from '../helpers/k8s-tools.js';

const run = promisify(execFile);

interface FinalStage {
  readonly entrypoint: string[];
  readonly cmd: string[];
  readonly user: string;
  readonly workdir: string;
  readonly copies: Array<{ from: string | null; src: string; dest: string }>;
  readonly links: Array<{ target: string; link: string }>;
  readonly volumes: string[];
}

/** The instructions of the Dockerfile's last stage that shape what runs. */
function finalStage(dockerfile: string): FinalStage {
  const lines = dockerfile.replace(/\\\n/g, ' ').split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
  const last = lines.map((l, i) => (/^FROM\s/i.test(l) ? i : -1)).filter((i) => i >= 0).pop() ?? 0;
  const stage: FinalStage = { entrypoint: [], cmd: [], user: 'root', workdir: '/', copies: [], links: [], volumes: [] };
  const mutable = stage as { -readonly [K in keyof FinalStage]: FinalStage[K] };
  for (const l of lines.slice(last + 1)) {
    const [word, ...restParts] = l.split(/\s+/);
    const rest = restParts.join(' ');
    switch (word?.toUpperCase()) {
      case 'ENTRYPOINT': mutable.entrypoint = JSON.parse(rest) as string[]; break;
      case 'CMD': mutable.cmd = JSON.parse(rest) as string[]; break;
      case 'USER': mutable.user = rest; break;
      case 'WORKDIR': mutable.workdir = rest; break;
      case 'VOLUME': mutable.volumes.push(rest); break;
      case 'COPY': {
        const from = /--from=(\S+)/.exec(rest)?.[1] ?? null;
        const [src, dest] = rest.replace(/--\S+/g, '').trim().split(/\s+/) as [string, string];
        mutable.copies.push({ from, src, dest });
        break;
      }
      case 'RUN': for (const m of rest.matchAll(/ln -s (\S+) (\S+)/g)) mutable.links.push({ target: m[1] as string, link: m[2] as string }); break;
    }
  }
  return stage;
}

test('container image: the Dockerfile runs fjord as a non-root user with its state under /var/fjord', async () => {
  const dockerfile = await readFile(join(projectRoot, 'Dockerfile'), 'utf8');
  const stage = finalStage(dockerfile);
  assert.deepEqual(stage.entrypoint, ['fjord']);
  assert.equal(stage.user, 'fjord');
  assert.ok(stage.volumes.includes('/var/fjord'));
  assert.match(dockerfile, /useradd --system --uid 10001/);
  assert.match(dockerfile, /^FROM node:20-bookworm-slim AS build$/m, 'multi-stage, Node 20 slim');
  assert.match(dockerfile, /assemble\.sh \/src \/out/, 'the build stage assembles the image files with deploy/docker/assemble.sh');
  assert.deepEqual(stage.copies.find((c) => c.from === 'build'), { from: 'build', src: '/out', dest: '/app' });
  assert.deepEqual(stage.links, [{ target: '/app/dist/fjord.js', link: '/usr/local/bin/fjord' }]);
  const ignored = (await readFile(join(projectRoot, '.dockerignore'), 'utf8')).split('\n');
  for (const p of ['node_modules', 'dist', '.git']) assert.ok(ignored.includes(p), `.dockerignore keeps out ${p}`);
});

test('container image: its command line runs from the image files alone and serves pushes and queries', { timeout: 120_000 }, async (t) => {
  const dockerfile = await readFile(join(projectRoot, 'Dockerfile'), 'utf8');
  const stage = finalStage(dockerfile);
  const root = await tempDir(t, 'fjord-image');
  // The image's paths, each a directory of the emulated root file system.
  const at = (path: string) => join(root, path);
  await run('sh', [join(projectRoot, 'deploy/docker/assemble.sh'), projectRoot, at('/app')], { maxBuffer: 16 << 20 });
  for (const c of stage.copies.filter((x) => x.from === null)) {
    await mkdir(join(at(c.dest), '..'), { recursive: true });
    // The config names the /var/fjord volume, which lives in the emulated root too.
    await writeFile(at(c.dest), (await readFile(join(projectRoot, c.src), 'utf8')).replaceAll('/var/fjord', at('/var/fjord')));
  }
  await mkdir(at(stage.workdir), { recursive: true });

  assert.ok(!existsSync(at('/app/node_modules/typescript')), 'no devDependencies in the image');
  assert.ok(!existsSync(at('/app/dist/test')), 'no tests in the image');
  assert.ok(existsSync(at('/app/node_modules/classic-level')), 'production dependencies with their native addons');

  const link = stage.links.find((l) => l.link === '/usr/local/bin/fjord');
  assert.ok(link);
  const entrypoint = at(link.target);
  const cmd = stage.cmd.map((a) => a.replace(/=(\/\S+)/, (_m, p: string) => `=${at(p)}`));
  const version = await run(entrypoint, ['-version'], { cwd: at(stage.workdir) });
  assert.match(version.stdout, /^fjord, version /);

  const fjord = await startFjord(t, cmd, {}, { command: entrypoint, cwd: at(stage.workdir) });
  await waitReady(fjord, 60_000);
  const tsNs = BigInt(Date.now()) * 1_000_000n;
  await pushStreams(fjord.url, 'fake', [{ labels: { app: 'image' }, entries: [[tsNs, 'from the image']] }]);
  const q = new URLSearchParams({ query: '{app="image"}', start: String(tsNs - 60_000_000_000n), end: String(tsNs + 60_000_000_000n) });
  await waitUntil('the pushed line', async () => {
    const body = (await (await fetch(`${fjord.url}/loki/api/v1/query_range?${q}`)).json()) as { data: { result: Array<{ values: unknown[] }> } };
    return body.data.result[0]?.values.length === 1;
  }, 30_000, 200);
  assert.ok(existsSync(at('/var/fjord/log')), 'the embedded log lives in the /var/fjord volume');
});
