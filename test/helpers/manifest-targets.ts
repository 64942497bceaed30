/**
 * Running rendered Kubernetes manifests' Fjord workloads as local processes: each Deployment or
 * StatefulSet becomes one `fjord` process with the container's own arguments and environment, its
 * ConfigMap volumes written to a temp directory, its /var/fjord volume a temp directory, and the
 * cluster's Service names (in the config and the arguments) pointing at the local process behind
 * each Service. Nothing else of the manifests is changed, so a process that starts and serves is
 * proof the chart's config runs.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { tempDir } from './env.js';
import { freePort, startFjord, waitReady, type FjordChild } from './fjord-process.js';

/** A manifest document, as parsed YAML. */
type Doc = Record<string, any>;

/** Every document of a multi-document YAML text, nulls left out. */
export function parseManifests(text: string): Doc[] {
  return parseAllDocuments(text).map((d) => d.toJSON() as Doc | null).filter((d): d is Doc => d !== null);
}

/** A workload's Fjord container, as the pod would run it. */
export interface Workload {
  readonly name: string;
  readonly kind: string;
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  /** ConfigMap volumes: mount path and the files in it. */
  readonly configMounts: ReadonlyArray<{ readonly path: string; readonly files: Readonly<Record<string, string>> }>;
  /** Names of the Services that select its pods. */
  readonly services: readonly string[];
}

function secretValue(docs: readonly Doc[], name: string, key: string): string {
  const s = docs.find((d) => d.kind === 'Secret' && d.metadata?.name === name);
  if (!s) throw new Error(`no Secret ${name} in the manifests`);
  if (s.stringData?.[key] !== undefined) return String(s.stringData[key]);
  if (s.data?.[key] !== undefined) return Buffer.from(String(s.data[key]), 'base64').toString('utf8');
  throw new Error(`Secret ${name} has no key ${key}`);
}

function resolveEnv(docs: readonly Doc[], list: readonly Doc[] | undefined): Record<string, string> {
  const env: Record<string, string> = {};
  for (const e of list ?? []) {
    if (e.value !== undefined) env[e.name] = String(e.value);
    else if (e.valueFrom?.fieldRef?.fieldPath === 'status.podIP') env[e.name] = '127.0.0.1';
    else if (e.valueFrom?.secretKeyRef) env[e.name] = secretValue(docs, e.valueFrom.secretKeyRef.name, e.valueFrom.secretKeyRef.key);
    else throw new Error(`env ${e.name}: unsupported source ${JSON.stringify(e.valueFrom)}`);
  }
  return env;
}

function selects(selector: Readonly<Record<string, string>>, labels: Readonly<Record<string, string>>): boolean {
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}

/** The Fjord workloads (container `fjord`) of rendered manifests. */
export function fjordWorkloads(docs: readonly Doc[]): Workload[] {
  const out: Workload[] = [];
  for (const d of docs) {
    if (d.kind !== 'Deployment' && d.kind !== 'StatefulSet') continue;
    const pod = d.spec.template;
    const c = (pod.spec.containers as Doc[]).find((x) => x.name === 'fjord');
    if (!c) continue;
    const volumes = new Map<string, Doc>((pod.spec.volumes ?? []).map((v: Doc) => [v.name, v]));
    const configMounts = (c.volumeMounts ?? []).flatMap((m: Doc) => {
      const cm = volumes.get(m.name)?.configMap?.name;
      if (!cm) return [];
      const doc = docs.find((x) => x.kind === 'ConfigMap' && x.metadata?.name === cm);
      if (!doc) throw new Error(`no ConfigMap ${cm} in the manifests`);
      return [{ path: m.mountPath as string, files: doc.data as Record<string, string> }];
    });
    const labels = pod.metadata.labels as Record<string, string>;
    const services = docs
      .filter((s) => s.kind === 'Service' && s.spec?.clusterIP !== 'None' && s.spec?.selector && selects(s.spec.selector, labels))
      .map((s) => s.metadata.name as string);
    out.push({ name: d.metadata.name, kind: d.kind, args: c.args ?? [], env: resolveEnv(docs, c.env), configMounts, services });
  }
  return out;
}

/** One workload running as a local process. */
export interface RunningWorkload {
  readonly workload: Workload;
  readonly child: FjordChild;
}

/** Replace `<service>[.<ns>.svc[.cluster.local]]:<port>` by the local address of the process behind it. */
function pointServicesLocally(text: string, namespace: string, local: ReadonlyMap<string, number>): string {
  let out = text;
  for (const [svc, port] of local) {
    for (const host of [`${svc}.${namespace}.svc.cluster.local`, `${svc}.${namespace}.svc`, svc]) {
      out = out.replace(new RegExp(`(?<![\\w.-])${host.replace(/[.]/g, '\\.')}:\\d+`, 'g'), `127.0.0.1:${port}`);
    }
  }
  return out;
}

/**
 * Start every workload (one process each, whatever its replica count) and wait until all are
 * ready. Each gets a free port and a temp directory for its /var/fjord volume.
 */
export async function runWorkloads(t: TestContext, workloads: readonly Workload[], namespace: string): Promise<RunningWorkload[]> {
  const ports = new Map(await Promise.all(workloads.map(async (w) => [w.name, await freePort()] as const)));
  const local = new Map<string, number>();
  for (const w of workloads) for (const s of w.services) local.set(s, ports.get(w.name) as number);
  const root = await tempDir(t, 'fjord-manifests');
  const running = await Promise.all(workloads.map(async (w) => {
    const dir = join(root, w.name);
    let args = w.args.map((a) => pointServicesLocally(a, namespace, local));
    for (const [i, m] of w.configMounts.entries()) {
      const to = join(dir, `config-${i}`);
      await mkdir(to, { recursive: true });
      for (const [file, text] of Object.entries(m.files)) await writeFile(join(to, file), pointServicesLocally(text, namespace, local));
      args = args.map((a) => a.replace(`=${m.path}/`, `=${to}/`));
    }
    const child = await startFjord(t, [...args, `-common.path-prefix=${join(dir, 'var-fjord')}`], w.env, { port: ports.get(w.name) as number });
    return { workload: w, child };
  }));
  await Promise.all(running.map((r) => waitReady(r.child, 90_000)));
  return running;
}
