/**
 * The ruler: every `poll_interval` (and whenever its shards change) it reads every tenant's rule
 * groups from the rule store, keeps those whose shard it owns, and runs each as a GroupRunner;
 * a group whose rules did not change keeps running with its alert state, a changed one is
 * replaced, a removed one stopped. A namespace that cannot be read keeps what ran before (Loki
 * would skip the whole sync). Each tenant has its own notifier.
 */
import { errorMessage } from '../../schemas/index.js';
import type { FjordConfig } from '../../schemas/config/index.js';
import type { Clock, Logger } from '../../platform/index.js';
import type { TemplateFunctionSet } from '../logql/index.js';
import { GroupRunner, type RuleQuery } from './group-runner.js';
import { groupShard } from './group-schedule.js';
import type { RulerMetrics } from './metrics.js';
import { Notifier, alertmanagerTargets } from './notifier/notifier.js';
import { postableAlert } from './notifier/postable-alert.js';
import type { RemoteStorage } from './remote-write/remote-storage.js';
import { groupKey, sameGroup, type RuleGroupDesc } from './rule-group.js';
import type { RuleStore } from './rule-store.js';
import type { RulerShards } from './ruler-shards.js';

/** Why a sync ran (`loki_ruler_sync_rules_total{reason}`). */
export type SyncReason = 'initial' | 'periodic' | 'ring-change' | 'api-change';

/** What the ruler needs. */
export interface RulerDeps {
  readonly cfg: FjordConfig['ruler'];
  readonly store: RuleStore;
  readonly query: RuleQuery;
  readonly remote: RemoteStorage;
  /** Null: this ruler evaluates every group. */
  readonly shards: RulerShards | null;
  readonly fns: TemplateFunctionSet;
  /** `ruler.rule_path`, resolved (names groups in the rule_group metric label). */
  readonly rulePath: string;
  readonly userAgent: string;
  readonly metrics: RulerMetrics;
  readonly logger: Logger;
  readonly clock: Clock;
}

/** Whether this ruler evaluates `tenant` (`enabled_tenants`, `disabled_tenants`). */
export function tenantAllowed(cfg: Pick<FjordConfig['ruler'], 'enabled_tenants' | 'disabled_tenants'>, tenant: string): boolean {
  if (cfg.enabled_tenants.length > 0 && !cfg.enabled_tenants.includes(tenant)) return false;
  return !cfg.disabled_tenants.includes(tenant);
}

/** Rule groups of every tenant, evaluated where this ruler owns them. */
export class Ruler {
  private readonly runners = new Map<string, GroupRunner>();
  private readonly notifiers = new Map<string, Notifier>();
  private syncing: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(private readonly deps: RulerDeps) {}

  async start(): Promise<void> {
    this.deps.remote.start();
    await this.sync('initial');
    this.timer = setInterval(() => void this.sync('periodic'), this.deps.cfg.poll_interval);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.syncing;
    await Promise.all([...this.runners.values()].map((r) => r.stop()));
    this.runners.clear();
    await Promise.all([...this.notifiers.values()].map((n) => n.stop()));
    this.notifiers.clear();
    await this.deps.remote.stop();
  }

  /** Read the store again and bring the running groups in line (one sync at a time). */
  sync(reason: SyncReason): Promise<void> {
    const run = this.syncing.then(() => (this.stopped ? undefined : this.doSync(reason)));
    this.syncing = run.catch((err: unknown) => this.deps.logger.error({ err: errorMessage(err) }, 'syncing rule groups failed'));
    return this.syncing;
  }

  private owns(g: RuleGroupDesc): boolean {
    const shards = this.deps.shards;
    return shards === null || shards.owns(groupShard(g, shards.count()));
  }

  private async doSync(reason: SyncReason): Promise<void> {
    const { store, metrics, logger, cfg } = this.deps;
    metrics.syncRules.inc({ reason });
    const wanted = new Map<string, RuleGroupDesc>();
    const keepNamespaces = new Set<string>();
    const tenants = (await store.listTenants()).filter((t) => tenantAllowed(cfg, t));
    for (const tenant of tenants) {
      let listed;
      try {
        listed = await store.listGroups(tenant, null);
      } catch (err) {
        logger.warn({ tenant, err: errorMessage(err) }, 'unable to list rules');
        metrics.reloadSuccessful.set({ user: tenant }, 0);
        keepNamespaces.add(`${tenant}/`);
        continue;
      }
      for (const e of listed.errors) {
        logger.warn({ tenant, namespace: e.namespace, err: e.error }, 'rule namespace not loaded');
        keepNamespaces.add(`${tenant}/${e.namespace}/`);
      }
      metrics.reloadSuccessful.set({ user: tenant }, listed.errors.length === 0 ? 1 : 0);
      if (listed.errors.length === 0) metrics.reloadSuccessSeconds.set({ user: tenant }, this.deps.clock.now() / 1000);
      for (const g of listed.groups) if (this.owns(g)) wanted.set(groupKey(g), g);
    }
    const changedTenants = new Set<string>();
    for (const [key, runner] of this.runners) {
      const g = wanted.get(key);
      const kept = [...keepNamespaces].some((p) => `${key}`.startsWith(p)) && this.owns(runner.group);
      if (kept && !g) continue;
      if (g && sameGroup(g, runner.group)) continue;
      await runner.stop();
      this.runners.delete(key);
      changedTenants.add(runner.group.tenant);
    }
    for (const [key, g] of wanted) {
      if (this.runners.has(key)) continue;
      const runner = this.newRunner(g);
      this.runners.set(key, runner);
      runner.start();
      changedTenants.add(g.tenant);
    }
    for (const tenant of changedTenants) metrics.configUpdates.inc({ user: tenant });
    const active = new Set([...this.runners.values()].map((r) => r.group.tenant));
    for (const [tenant, n] of this.notifiers) {
      if (active.has(tenant)) continue;
      await n.stop();
      this.notifiers.delete(tenant);
    }
    metrics.managers.set(active.size);
    if (this.deps.shards) metrics.ownedShards.set(this.deps.shards.ownedCount());
  }

  private notifier(tenant: string): Notifier {
    let n = this.notifiers.get(tenant);
    if (!n) {
      const { cfg, metrics, logger, userAgent } = this.deps;
      n = new Notifier(tenant, alertmanagerTargets(cfg), cfg, metrics, logger.child({ tenant }), userAgent);
      this.notifiers.set(tenant, n);
    }
    return n;
  }

  private newRunner(g: RuleGroupDesc): GroupRunner {
    const { cfg, metrics, logger, remote, query, fns, rulePath } = this.deps;
    const source = { externalUrl: cfg.external_url, datasourceUid: cfg.datasource_uid, externalLabels: cfg.external_labels };
    const ruleGroup = `${rulePath}/${g.tenant}/${encodeURIComponent(g.namespace)};${g.name}`;
    return new GroupRunner(g, {
      query,
      notify: (alerts, expr) => {
        if (alerts.length > 0 && cfg.alertmanager_url !== '') this.notifier(g.tenant).send(alerts.map((a) => postableAlert(a, expr, source)));
      },
      append: (samples) => remote.append(g.tenant, samples),
      alertContext: { externalLabels: cfg.external_labels, externalUrl: cfg.external_url, fns },
      defaultIntervalMs: cfg.evaluation_interval,
      resendDelayMs: cfg.resend_delay,
      forGracePeriodMs: cfg.for_grace_period,
      outageToleranceMs: cfg.for_outage_tolerance,
      metrics,
      metricLabels: cfg.disable_rule_group_label ? { user: g.tenant } : { user: g.tenant, rule_group: ruleGroup },
      logger: logger.child({ tenant: g.tenant }),
      now: () => this.deps.clock.now(),
    });
  }

  /** The groups of `tenant` this ruler runs, by namespace then name. */
  localGroups(tenant: string): GroupRunner[] {
    return [...this.runners.values()]
      .filter((r) => r.group.tenant === tenant)
      .sort((a, b) => (a.group.namespace === b.group.namespace ? (a.group.name < b.group.name ? -1 : 1) : a.group.namespace < b.group.namespace ? -1 : 1));
  }
}
