/**
 * The ruler module (`-target=ruler`, also in `all` and `backend`): the rule store of
 * `ruler_storage` or `ruler.storage`, the shards of the ruler group on the control topic
 * `<topic>.ruler`, remote write, the ruler, and the rules APIs. Rules are evaluated as Loki's local
 * evaluation mode does it, through the querier of the process (its own one when the process runs
 * no querier), or in remote mode through a query frontend.
 */
import { join } from 'node:path';
import type { CodecSet } from '../../schemas/index.js';
import type { FjordConfig } from '../../schemas/config/index.js';
import { createPartitionLog, rulerGroup, rulerTopic, type ModuleFactory, type Service } from '../../platform/index.js';
import type { QueryBackend } from '../engine/query-backend.js';
import { buildQuerier } from '../querier/module.js';
import { alertTemplateFunctions } from './alert-template.js';
import { registerRulesConfigRoutes } from './api/rules-config-routes.js';
import { registerRulesStateRoutes, type RuleStateSource } from './api/rules-state-routes.js';
import type { GroupView } from './api/prometheus-json.js';
import { rulerMetrics } from './metrics.js';
import { RemoteStorage } from './remote-write/remote-storage.js';
import { localRuleQuery, remoteRuleQuery, withJitter } from './rule-query.js';
import { configuredRuleStore } from './rule-store-config.js';
import { Ruler } from './ruler.js';
import { RulerShards } from './ruler-shards.js';

const PEER_TIMEOUT_MS = 10_000;

/** The config of the rulers' control log: the log's settings on `<topic>.ruler`, `ruler.shard_count` partitions. */
export function rulerLogConfig(cfg: FjordConfig): FjordConfig {
  const k = cfg.kafka_config;
  return {
    ...cfg,
    kafka_config: {
      ...k,
      topic: rulerTopic(k.topic),
      auto_create_topic_enabled: true,
      auto_create_topic_default_partitions: cfg.ruler.shard_count,
      embedded: { ...k.embedded, partitions: cfg.ruler.shard_count },
    },
  };
}

/** Build the ruler module; `localQuerier` gives the querier of the process when it runs one. */
export function rulerModule(opts: { readonly codecs: CodecSet; readonly version: string; readonly localQuerier: () => QueryBackend | null }): ModuleFactory {
  return (ctx) => {
    const cfg = ctx.config;
    const rc = cfg.ruler;
    const logger = ctx.logger.child({ component: 'ruler' });
    const metrics = rulerMetrics(ctx.registry);
    const fns = alertTemplateFunctions(rc.external_url);
    const limits = ctx.runtimeConfig();
    const userAgent = `Fjord/${opts.version}`;
    const remote = rc.evaluation.mode === 'remote';
    let ownQuerier: Service | null = null;
    let backend = remote ? null : opts.localQuerier();
    if (backend === null && !remote) {
      const parts = buildQuerier(ctx, opts.codecs);
      backend = parts.querier;
      ownQuerier = parts.service;
    }
    const query = withJitter(
      backend === null
        ? remoteRuleQuery(rc.evaluation.query_frontend.address, limits, userAgent, metrics)
        : localRuleQuery(backend, (t) => limits.forTenant(t).query_timeout),
      rc.evaluation.max_jitter,
    );
    const { store, own: ownStore } = configuredRuleStore(ctx, fns, logger);
    const control = createPartitionLog(rulerLogConfig(cfg), logger);
    const address = () => `http://${cfg.common.instance_addr || '127.0.0.1'}:${ctx.server.port()}`;
    let shards: RulerShards | null = null;
    let ruler: Ruler | null = null;
    const source: RuleStateSource = {
      localGroups: (tenant) => (ruler?.localGroups(tenant) ?? []).map((r): GroupView => ({
        name: r.group.name,
        file: r.group.namespace,
        intervalSeconds: r.intervalMs / 1000,
        limit: r.group.limit,
        lastEvaluationMs: r.lastEvaluationMs,
        evaluationSeconds: r.evaluationSeconds,
        rules: r.rules.map((rule) => ({
          desc: rule.desc,
          query: rule.query,
          state: rule.alerting === null ? null : rule.lastEvaluationMs === 0 ? 'unknown' : rule.alerting.state(),
          alerts: rule.alerting?.activeAlerts() ?? [],
          health: rule.health,
          lastError: rule.lastError,
          lastEvaluationMs: rule.lastEvaluationMs,
          evaluationSeconds: rule.evaluationSeconds,
        })),
      })),
      peers: async (signal) => (shards ? shards.peers(signal) : []),
    };
    if (rc.enable_api) registerRulesConfigRoutes(ctx.server.app, { store, limits, authEnabled: cfg.auth_enabled, fns, logger });
    registerRulesStateRoutes(ctx.server.app, { source, authEnabled: cfg.auth_enabled, logger, peerTimeoutMs: PEER_TIMEOUT_MS }, rc.enable_api);
    return {
      name: 'ruler',
      async start(signal) {
        await ownQuerier?.start(signal);
        await ownStore?.start(signal);
        await control.start(signal);
        const remoteStorage = new RemoteStorage({
          cfg: rc, dir: rc.wal.dir || join(cfg.common.path_prefix, 'ruler-wal'), limits, snappy: opts.codecs.snappy, metrics, logger, userAgent,
          clock: ctx.clock,
        });
        shards = new RulerShards(control, rulerGroup(cfg.kafka_config.consumer_group), address(), logger);
        const r = new Ruler({
          cfg: rc, store, remote: remoteStorage, shards, fns, metrics, logger, userAgent, query, clock: ctx.clock,
          rulePath: rc.rule_path || join(cfg.common.path_prefix, 'rules-temp'),
        });
        ruler = r;
        await shards.start(() => r.sync('ring-change'));
        await r.start();
      },
      async stop() {
        await ruler?.stop();
        ruler = null;
        await shards?.stop();
        await control.stop();
        await ownStore?.stop();
        await ownQuerier?.stop();
      },
    };
  };
}
