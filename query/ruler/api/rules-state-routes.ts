/**
 * The rule state API with Prometheus' JSON, as Loki serves it (`L:pkg/ruler/base/api.go`
 * PrometheusRules, PrometheusAlerts): `GET /prometheus/api/v1/rules` (filters `type`,
 * `rule_name`, `rule_group`, `file`, each repeatable) and `GET /prometheus/api/v1/alerts`.
 * Groups evaluated by other rulers come from their `/ruler/internal/groups`, as Loki asks the
 * ring's members over gRPC. Grafana's alerting UI lists a Loki data source's rules through these.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { errorMessage } from '../../../schemas/index.js';
import { resolveTenants } from '../../../schemas/labels/index.js';
import type { Logger } from '../../../platform/index.js';
import { errorJson, groupJson, successJson, type GroupView } from './prometheus-json.js';

/** Where the groups of a tenant come from. */
export interface RuleStateSource {
  /** The groups this ruler evaluates. */
  localGroups(tenant: string): GroupView[];
  /** HTTP addresses of the other rulers. */
  peers(signal?: AbortSignal): Promise<string[]>;
}

/** What the state routes need. */
export interface RulesStateDeps {
  readonly source: RuleStateSource;
  readonly authEnabled: boolean;
  readonly logger: Logger;
  /** Timeout of a request to another ruler, ms. */
  readonly peerTimeoutMs: number;
}

type GroupJson = Record<string, unknown> & { name: string; file: string; rules: Array<Record<string, unknown>>; lastEvaluation: string };

/** The filters of a rules request; null sets do not filter. */
export interface RulesFilter {
  readonly type: 'alerting' | 'recording' | null;
  readonly ruleNames: ReadonlySet<string> | null;
  readonly groups: ReadonlySet<string> | null;
  readonly files: ReadonlySet<string> | null;
}

function values(query: URLSearchParams, key: string): ReadonlySet<string> | null {
  const all = query.getAll(key);
  return all.length === 0 ? null : new Set(all);
}

/** Parse `type`, `rule_name`, `rule_group` and `file`; a bad `type` is Loki's `not supported value "…"`. */
export function parseRulesFilter(query: URLSearchParams): RulesFilter | string {
  const t = (query.get('type') ?? '').toLowerCase();
  if (t !== '' && t !== 'alert' && t !== 'record') return `not supported value ${JSON.stringify(t)}`;
  return {
    type: t === 'alert' ? 'alerting' : t === 'record' ? 'recording' : null,
    ruleNames: values(query, 'rule_name'),
    groups: values(query, 'rule_group'),
    files: values(query, 'file'),
  };
}

/** Apply a filter to group JSON; a group with no rule left is dropped, as Prometheus does. */
export function filterGroups(groups: readonly GroupJson[], f: RulesFilter): GroupJson[] {
  const out: GroupJson[] = [];
  for (const g of groups) {
    if (f.groups && !f.groups.has(g.name)) continue;
    if (f.files && !f.files.has(g.file)) continue;
    const rules = g.rules.filter((r) => (f.type === null || r.type === f.type) && (f.ruleNames === null || f.ruleNames.has(String(r.name))));
    if (rules.length > 0) out.push({ ...g, rules });
  }
  return out;
}

/** Merge groups of several rulers: one per file and name (the latest evaluated), sorted by file then name. */
export function mergeGroups(lists: ReadonlyArray<readonly GroupJson[]>): GroupJson[] {
  const byKey = new Map<string, GroupJson>();
  for (const list of lists) {
    for (const g of list) {
      const key = `${g.file}\u0000${g.name}`;
      const old = byKey.get(key);
      if (!old || g.lastEvaluation > old.lastEvaluation) byKey.set(key, g);
    }
  }
  return [...byKey.values()].sort((a, b) => (a.file === b.file ? (a.name < b.name ? -1 : 1) : a.file < b.file ? -1 : 1));
}

/** Register the state routes (when `serveApi`) and, always, the internal route other rulers call. */
export function registerRulesStateRoutes(app: FastifyInstance, deps: RulesStateDeps, serveApi: boolean): void {
  const tenantOf = (req: FastifyRequest, reply: FastifyReply): string | null => {
    const h = req.headers['x-scope-orgid'];
    let tenants: string[];
    try {
      tenants = resolveTenants(Array.isArray(h) ? h.join(',') : h, deps.authEnabled);
    } catch (err) {
      void reply.code(401).type('text/plain; charset=utf-8').send(`${errorMessage(err)}\n`);
      return null;
    }
    if (tenants.length > 1) {
      void reply.code(400).type('application/json').send(errorJson('bad_data', 'too many org ids found'));
      return null;
    }
    return tenants[0] as string;
  };

  const local = (tenant: string): GroupJson[] => deps.source.localGroups(tenant).map((g) => groupJson(g) as GroupJson);

  const all = async (tenant: string): Promise<GroupJson[]> => {
    const peers = await deps.source.peers();
    const lists = await Promise.all(peers.map(async (addr) => {
      const res = await fetch(`${addr}/ruler/internal/groups`, { headers: { 'X-Scope-OrgID': tenant }, signal: AbortSignal.timeout(deps.peerTimeoutMs) });
      if (!res.ok) throw new Error(`ruler ${addr} answered ${res.status}: ${(await res.text()).slice(0, 200)}`);
      return (await res.json()) as GroupJson[];
    }));
    return mergeGroups([local(tenant), ...lists]);
  };

  app.get('/ruler/internal/groups', async (req, reply) => {
    const tenant = tenantOf(req, reply);
    if (tenant === null) return reply;
    return reply.code(200).type('application/json').send(JSON.stringify(local(tenant)));
  });
  if (!serveApi) return;

  app.get('/prometheus/api/v1/rules', async (req, reply) => {
    const tenant = tenantOf(req, reply);
    if (tenant === null) return reply;
    const query = new URLSearchParams((req.raw.url ?? '').split('?')[1] ?? '');
    const filter = parseRulesFilter(query);
    if (typeof filter === 'string') return reply.code(400).type('application/json').send(errorJson('bad_data', filter));
    try {
      const groups = filterGroups(await all(tenant), filter);
      return reply.code(200).type('application/json').send(successJson({ groups }));
    } catch (err) {
      deps.logger.warn({ tenant, err: errorMessage(err) }, 'listing rules of the other rulers failed');
      return reply.code(500).type('application/json').send(errorJson('server_error', errorMessage(err)));
    }
  });

  app.get('/prometheus/api/v1/alerts', async (req, reply) => {
    const tenant = tenantOf(req, reply);
    if (tenant === null) return reply;
    try {
      const groups = await all(tenant);
      const alerts = groups.flatMap((g) => g.rules.filter((r) => r.type === 'alerting').flatMap((r) => r.alerts as unknown[]));
      return reply.code(200).type('application/json').send(successJson({ alerts }));
    } catch (err) {
      return reply.code(500).type('application/json').send(errorJson('server_error', errorMessage(err)));
    }
  });

}
