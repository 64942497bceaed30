/**
 * The rules config API as Loki serves it, under `/loki/api/v1/rules` and `/api/prom/rules`
 * (`L:pkg/ruler/base/api.go` ListRules, GetRuleGroup, CreateRuleGroup, DeleteNamespace,
 * DeleteRuleGroup), with Loki's statuses and bodies: YAML answers, plain-text `http.Error`
 * failures (`no rule groups found`, `group does not exist`, …), 202 with Loki's JSON on changes,
 * the request's Content-Type ignored. lokitool, cortextool and Grafana's ruler UI call it.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { FjordError, errorMessage } from '../../../schemas/index.js';
import type { Limits } from '../../../schemas/config/index.js';
import { isLocalPath } from '../../../schemas/go/index.js';
import { resolveWriteTenant } from '../../../schemas/labels/index.js';
import type { Logger } from '../../../platform/index.js';
import type { TemplateFunctionSet } from '../../logql/index.js';
import { parsePostedGroup } from '../rule-file.js';
import type { RuleGroupDesc } from '../rule-group.js';
import type { RuleStore } from '../rule-store.js';
import { encodeNamespaces, encodeRuleGroup } from '../rule-yaml-encode.js';
import { errorJson, successJson } from './prometheus-json.js';

/** Loki's 404 text when a list finds nothing. */
export const ERR_NO_RULE_GROUPS = 'no rule groups found';

/** What the config routes need. */
export interface RulesConfigDeps {
  readonly store: RuleStore;
  readonly limits: Limits;
  readonly authEnabled: boolean;
  readonly fns: TemplateFunctionSet;
  readonly logger: Logger;
}

type Params = { namespace?: string; groupName?: string };

function text(reply: FastifyReply, status: number, message: string): FastifyReply {
  return reply.code(status).type('text/plain; charset=utf-8').header('X-Content-Type-Options', 'nosniff').send(`${message}\n`);
}

function accepted(reply: FastifyReply): FastifyReply {
  return reply.code(202).type('application/json').send(successJson(null));
}

function jsonError(reply: FastifyReply, status: 400 | 500, message: string): FastifyReply {
  return reply.code(status).type('text/plain; charset=utf-8').send(errorJson(status === 400 ? 'bad_data' : 'server_error', message));
}

/** Keep the rules having any of the `k:v` pairs of Loki's `labels` parameter; groups left empty are dropped. */
export function filterByLabels(groups: readonly RuleGroupDesc[], param: string | undefined): RuleGroupDesc[] {
  if (param === undefined || param === '') return [...groups];
  const pairs = param.split(',').map((p) => {
    const at = p.indexOf(':');
    return at < 0 ? [p, ''] : [p.slice(0, at), p.slice(at + 1)];
  });
  const out: RuleGroupDesc[] = [];
  for (const g of groups) {
    const rules = g.rules.filter((r) => pairs.some(([k, v]) => r.labels[k as string] === v));
    if (rules.length > 0) out.push({ ...g, rules });
  }
  return out;
}

/** Register the config routes under both of Loki's prefixes. */
export function registerRulesConfigRoutes(app: FastifyInstance, deps: RulesConfigDeps): void {
  const { store } = deps;

  const tenantOf = (req: FastifyRequest): string => {
    const h = req.headers['x-scope-orgid'];
    return resolveWriteTenant(Array.isArray(h) ? h.join(',') : h, deps.authEnabled);
  };

  /** Path parameters, refused (as Loki, with a 500 JSON error) when they would leave their directory. */
  const pathParams = (req: FastifyRequest): { namespace: string; group: string } | string => {
    const p = req.params as Params;
    const namespace = p.namespace ?? '';
    const group = p.groupName ?? '';
    if (p.namespace !== undefined && !isLocalPath(namespace)) return 'invalid namespace: path traversal not allowed';
    if (p.groupName !== undefined && !isLocalPath(group)) return 'invalid groupname: path traversal not allowed';
    return { namespace, group };
  };

  const list = async (req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
    const tenant = tenantOf(req);
    const params = pathParams(req);
    if (typeof params === 'string') return jsonError(reply, 500, params);
    const ns = (req.params as Params).namespace === undefined ? null : params.namespace;
    let listed;
    try {
      listed = await store.listGroups(tenant, ns);
    } catch (err) {
      return text(reply, 400, errorMessage(err));
    }
    const firstError = listed.errors[0];
    if (firstError) return text(reply, 400, firstError.error);
    const labels = (req.query as Record<string, string | undefined>).labels;
    const groups = filterByLabels(listed.groups, labels);
    if (groups.length === 0) return text(reply, 404, ERR_NO_RULE_GROUPS);
    const byNamespace = new Map<string, RuleGroupDesc[]>();
    for (const g of groups) byNamespace.set(g.namespace, [...(byNamespace.get(g.namespace) ?? []), g]);
    return reply.code(200).type('application/yaml').send(encodeNamespaces(byNamespace));
  };

  const getGroup = async (req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
    const tenant = tenantOf(req);
    const params = pathParams(req);
    if (typeof params === 'string') return jsonError(reply, 500, params);
    try {
      const g = await store.getGroup(tenant, params.namespace, params.group);
      return reply.code(200).type('application/yaml').send(encodeRuleGroup(g));
    } catch (err) {
      if (err instanceof FjordError && err.code === 'not_found') return text(reply, 404, err.message);
      return text(reply, 400, errorMessage(err));
    }
  };

  const create = async (req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
    const tenant = tenantOf(req);
    const params = pathParams(req);
    if (typeof params === 'string') return jsonError(reply, 500, params);
    const body = typeof req.body === 'string' ? req.body : '';
    const parsed = parsePostedGroup(body, tenant, params.namespace, deps.fns);
    if (!parsed.ok) return text(reply, 400, parsed.error);
    const limits = deps.limits.forTenant(tenant);
    const rules = parsed.value.rules.length;
    if (limits.ruler_max_rules_per_rule_group > 0 && rules > limits.ruler_max_rules_per_rule_group) {
      return text(reply, 400, `per-user rules per rule group limit (limit: ${limits.ruler_max_rules_per_rule_group} actual: ${rules}) exceeded`);
    }
    if (limits.ruler_max_rule_groups_per_tenant > 0) {
      let existing: number;
      try {
        existing = (await store.listGroups(tenant, null)).groups.length;
      } catch (err) {
        return text(reply, 500, errorMessage(err));
      }
      if (existing + 1 > limits.ruler_max_rule_groups_per_tenant) {
        return text(reply, 400, `per-user rule groups limit (limit: ${limits.ruler_max_rule_groups_per_tenant} actual: ${existing + 1}) exceeded`);
      }
    }
    try {
      await store.setGroup(parsed.value);
    } catch (err) {
      deps.logger.warn({ tenant, namespace: params.namespace, err: errorMessage(err) }, 'unable to store rule group');
      return text(reply, 500, errorMessage(err));
    }
    return accepted(reply);
  };

  const remove = (what: 'namespace' | 'group') => async (req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
    const tenant = tenantOf(req);
    const params = pathParams(req);
    if (typeof params === 'string') return jsonError(reply, 500, params);
    try {
      if (what === 'namespace') await store.deleteNamespace(tenant, params.namespace);
      else await store.deleteGroup(tenant, params.namespace, params.group);
    } catch (err) {
      if (err instanceof FjordError && err.code === 'not_found') return text(reply, 404, err.message);
      return jsonError(reply, 500, errorMessage(err));
    }
    return accepted(reply);
  };

  void app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body));
    for (const base of ['/loki/api/v1/rules', '/api/prom/rules']) {
      scope.get(base, list);
      scope.get(`${base}/:namespace`, list);
      scope.post(`${base}/:namespace`, create);
      scope.delete(`${base}/:namespace`, remove('namespace'));
      scope.get(`${base}/:namespace/:groupName`, getGroup);
      scope.delete(`${base}/:namespace/:groupName`, remove('group'));
    }
  });
}
