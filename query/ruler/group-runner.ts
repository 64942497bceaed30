/**
 * One rule group being evaluated (Prometheus' `rules.Group`): on its schedule, each rule in turn
 * runs its LogQL expression as an instant query at the evaluation time; alerting rules update
 * their alerts and send those due, recording rules (and the ALERTS series) queue their samples
 * for remote write, with staleness markers for series that vanished. A rule's failure is its own
 * (health `err`, `lastError`); the next rules still run.
 */
import { errorMessage } from '../../schemas/index.js';
import type { Labels } from '../../schemas/labels/index.js';
import type { Logger } from '../../platform/index.js';
import { parseExpr, printExpr, type Expr, type VectorSample } from '../logql/index.js';
import { AlertingRule, type Alert, type AlertContext } from './alerting-rule.js';
import { evalTimestampMs, groupOffsetMs, nextEvaluation } from './group-schedule.js';
import type { RulerMetrics } from './metrics.js';
import { recordSamples } from './recording-rule.js';
import type { RuleDesc, RuleGroupDesc } from './rule-group.js';
import { seriesOf, staleMarkers, type RuleSample } from './rule-sample.js';

/** Runs a rule's expression for `tenant` at `tsMs`; throws Error with a message for the rule's lastError. */
export type RuleQuery = (tenant: string, expr: Expr, query: string, tsMs: number, signal: AbortSignal) => Promise<readonly VectorSample[]>;

/** Health of a rule, as the rules API shows it. */
export type RuleHealth = 'unknown' | 'ok' | 'err';

/** A rule of a running group and what its last evaluation left. */
export interface RuleRuntime {
  readonly desc: RuleDesc;
  /** The expression as evaluated (re-printed LogQL, as Loki's API shows `query`). */
  readonly query: string;
  readonly expr: Expr;
  readonly alerting: AlertingRule | null;
  health: RuleHealth;
  lastError: string;
  lastEvaluationMs: number;
  evaluationSeconds: number;
  lastSeries: Map<string, Labels>;
}

/** What a group needs to run. */
export interface GroupDeps {
  readonly query: RuleQuery;
  /** Hand alerts of a rule (with its re-printed expression) to the tenant's notifier. */
  readonly notify: (alerts: readonly Alert[], query: string) => void;
  /** Queue samples for remote write. */
  readonly append: (samples: readonly RuleSample[]) => Promise<void>;
  readonly alertContext: AlertContext;
  /** `ruler.evaluation_interval`, for groups without their own. */
  readonly defaultIntervalMs: number;
  readonly resendDelayMs: number;
  /** `ruler.for_grace_period`: alerting rules with a shorter `for` are not restored. */
  readonly forGracePeriodMs: number;
  /** `ruler.for_outage_tolerance`: nor are those whose `for` is longer. */
  readonly outageToleranceMs: number;
  readonly metrics: RulerMetrics;
  /** The group's label values of the rule metrics. */
  readonly metricLabels: { readonly user: string; readonly rule_group?: string };
  readonly logger: Logger;
  /** The time, ms (the process's Clock). */
  readonly now?: () => number;
}

/** A group on its schedule. */
export class GroupRunner {
  readonly rules: RuleRuntime[];
  readonly intervalMs: number;
  lastEvaluationMs = 0;
  evaluationSeconds = 0;
  private readonly abort = new AbortController();
  private loop: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private wakeUp: (() => void) | null = null;
  private restored = false;

  constructor(
    readonly group: RuleGroupDesc,
    private readonly deps: GroupDeps,
  ) {
    this.intervalMs = group.intervalMs > 0 ? group.intervalMs : deps.defaultIntervalMs;
    this.rules = group.rules.map((desc) => {
      const expr = parseExpr(desc.expr);
      return {
        desc, expr, query: printExpr(expr), alerting: desc.alert !== '' ? new AlertingRule(desc, deps.alertContext) : null,
        health: 'unknown', lastError: '', lastEvaluationMs: 0, evaluationSeconds: 0, lastSeries: new Map(),
      };
    });
  }

  private now(): number {
    return this.deps.now?.() ?? Date.now();
  }

  /** Begin evaluating: first at the group's next slot after a full interval, as Prometheus does. */
  start(): void {
    const labels = this.deps.metricLabels;
    this.deps.metrics.groupInterval.set(labels, this.intervalMs / 1000);
    this.deps.metrics.groupRules.set(labels, this.rules.length);
    this.loop ??= this.run();
  }

  /** Stop after the evaluation in progress; drops the group's gauges. */
  async stop(): Promise<void> {
    this.abort.abort();
    if (this.timer) clearTimeout(this.timer);
    this.wakeUp?.();
    await this.loop;
    const m = this.deps.metrics;
    for (const g of [m.groupInterval, m.groupRules, m.groupLastEvaluation, m.groupLastDuration, m.groupLastSamples]) g.remove(this.deps.metricLabels);
  }

  private sleepUntil(atMs: number): Promise<void> {
    return new Promise((resolve) => {
      if (this.abort.signal.aborted) return resolve();
      this.wakeUp = resolve;
      this.timer = setTimeout(resolve, Math.max(0, atMs - this.now()));
    });
  }

  private async run(): Promise<void> {
    const offset = groupOffsetMs(this.group.name, this.group.namespace, this.intervalMs);
    let at = evalTimestampMs(this.now(), this.intervalMs, offset) + this.intervalMs;
    const m = this.deps.metrics;
    for (;;) {
      await this.sleepUntil(at);
      if (this.abort.signal.aborted) return;
      m.iterations.inc(this.deps.metricLabels);
      await this.evaluate(at);
      const next = nextEvaluation(at, this.now(), this.intervalMs);
      if (next.missed > 0) {
        m.iterations.inc(this.deps.metricLabels, next.missed);
        m.iterationsMissed.inc(this.deps.metricLabels, next.missed);
      }
      at = next.atMs;
    }
  }

  /** Evaluate every rule at `tsMs` (the scheduler calls it; tests may too). */
  async evaluate(tsMs: number): Promise<void> {
    const m = this.deps.metrics;
    const labels = this.deps.metricLabels;
    const t0 = performance.now();
    let samplesTotal = 0;
    for (const rule of this.rules) {
      if (this.abort.signal.aborted) return;
      samplesTotal += await this.evaluateRule(rule, tsMs);
    }
    if (!this.restored) await this.restoreForState(tsMs);
    this.evaluationSeconds = (performance.now() - t0) / 1000;
    this.lastEvaluationMs = tsMs;
    m.groupDuration.observe({ user: labels.user }, this.evaluationSeconds);
    m.groupLastDuration.set(labels, this.evaluationSeconds);
    m.groupLastEvaluation.set(labels, tsMs / 1000);
    m.groupLastSamples.set(labels, samplesTotal);
  }

  /** After the first evaluation: restore the `for` state of the alerting rules that need it. */
  private async restoreForState(tsMs: number): Promise<void> {
    this.restored = true;
    for (const rule of this.rules) {
      const a = rule.alerting;
      if (!a || rule.health !== 'ok' || rule.desc.forMs < this.deps.forGracePeriodMs || rule.desc.forMs > this.deps.outageToleranceMs) continue;
      try {
        a.restore(await this.deps.query(this.group.tenant, rule.expr, rule.query, tsMs - rule.desc.forMs, this.abort.signal), tsMs);
      } catch (err) {
        this.deps.logger.info({ tenant: this.group.tenant, group: this.group.name, rule: rule.desc.alert, err: errorMessage(err) }, "restoring the 'for' state of an alert failed");
      }
    }
  }

  private async evaluateRule(rule: RuleRuntime, tsMs: number): Promise<number> {
    const m = this.deps.metrics;
    const labels = this.deps.metricLabels;
    const t0 = performance.now();
    m.evaluations.inc(labels);
    let samples: RuleSample[];
    try {
      const vector = await this.deps.query(this.group.tenant, rule.expr, rule.query, tsMs, this.abort.signal);
      samples = rule.alerting ? rule.alerting.evaluate(vector, tsMs, this.group.limit) : recordSamples(rule.desc, vector, tsMs, this.group.limit);
      rule.health = 'ok';
      rule.lastError = '';
    } catch (err) {
      if (this.abort.signal.aborted) return 0;
      rule.health = 'err';
      rule.lastError = errorMessage(err);
      m.evaluationFailures.inc(labels);
      this.deps.logger.warn({ tenant: this.group.tenant, namespace: this.group.namespace, group: this.group.name, rule: rule.desc.alert || rule.desc.record, err: rule.lastError }, 'evaluating rule failed');
      samples = [];
    } finally {
      rule.lastEvaluationMs = tsMs;
      rule.evaluationSeconds = (performance.now() - t0) / 1000;
      m.evaluationDuration.observe({ user: labels.user }, rule.evaluationSeconds);
    }
    if (rule.health === 'err') return 0;
    if (rule.alerting) this.deps.notify(rule.alerting.alertsToSend(tsMs, this.deps.resendDelayMs, this.intervalMs), rule.query);
    const out = [...samples, ...staleMarkers(rule.lastSeries, samples, tsMs)];
    rule.lastSeries = seriesOf(samples);
    try {
      await this.deps.append(out);
    } catch (err) {
      rule.health = 'err';
      rule.lastError = `appending samples failed: ${errorMessage(err)}`;
      m.evaluationFailures.inc(labels);
    }
    return samples.length;
  }
}
