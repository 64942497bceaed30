/**
 * An alerting rule's state, as Prometheus keeps it (`V:rules/alerting.go` Eval, sendAlerts):
 * each result sample becomes an alert keyed by its labels (sample labels without `__name__`,
 * plus the templated rule labels and `alertname`); a new alert is pending, fires once it has been
 * active for `for`, keeps firing for `keep_firing_for` after its sample is gone, and is then
 * resolved and kept 15 minutes so Alertmanager hears of the resolution. Alerts are sent when they
 * fire, again every `resend_delay`, and once more when resolved. Time is an argument. Pure.
 */
import { formatLabels, sortLabels, type Label, type Labels } from '../../schemas/labels/index.js';
import type { TemplateFunctionSet, VectorSample } from '../logql/index.js';
import { compileAlertTemplate, type AlertTemplate, type AlertTemplateData } from './alert-template.js';
import type { RuleDesc } from './rule-group.js';
import type { RuleSample } from './rule-sample.js';

/** Prometheus' resolvedRetention: how long a resolved alert is kept (and re-sent). */
export const RESOLVED_RETENTION_MS = 15 * 60_000;

/** Prometheus' ErrDuplicateAlertLabelSet text. */
export const ERR_DUPLICATE_ALERT = 'vector contains metrics with the same labelset after applying alert labels';

/** The state of an alert (and, as the most severe of its alerts, of a rule). */
export type AlertState = 'inactive' | 'pending' | 'firing';

/** One alert of a rule. Times are ms since the epoch; 0 means "not set" (Go's zero time). */
export interface Alert {
  readonly labels: Labels;
  annotations: Record<string, string>;
  state: AlertState;
  value: number;
  activeAtMs: number;
  firedAtMs: number;
  resolvedAtMs: number;
  lastSentAtMs: number;
  validUntilMs: number;
  keepFiringSinceMs: number;
}

/** What templates and sends need from the ruler's config. */
export interface AlertContext {
  readonly externalLabels: Readonly<Record<string, string>>;
  readonly externalUrl: string;
  readonly fns: TemplateFunctionSet;
}

function withoutName(labels: Labels): Label[] {
  return labels.filter((l) => l.name !== '__name__');
}

/** The alerts of one alerting rule and the transitions between their states. */
export class AlertingRule {
  private readonly active = new Map<string, Alert>();
  private readonly labelTemplates: ReadonlyArray<[string, AlertTemplate]>;
  private readonly annotationTemplates: ReadonlyArray<[string, AlertTemplate]>;

  constructor(
    readonly rule: RuleDesc,
    private readonly ctx: AlertContext,
  ) {
    this.labelTemplates = Object.entries(rule.labels).map(([k, v]) => [k, compileAlertTemplate(rule.alert, v, ctx.fns)]);
    this.annotationTemplates = Object.entries(rule.annotations).map(([k, v]) => [k, compileAlertTemplate(rule.alert, v, ctx.fns)]);
  }

  /**
   * Apply one evaluation's samples at `tsMs`. Returns the ALERTS and ALERTS_FOR_STATE series of
   * the pending and firing alerts. Throws Error with Prometheus' text on duplicate label sets and
   * on more than `limit` (> 0) alerts, the latter after dropping every alert, as Prometheus does.
   */
  private alertLabels(s: VectorSample, tsMs: number): { labels: Labels; data: AlertTemplateData } {
    const data = { labels: Object.fromEntries(s.metric.map((l) => [l.name, l.value])), externalLabels: this.ctx.externalLabels, externalUrl: this.ctx.externalUrl, value: s.value };
    const byName = new Map(withoutName(s.metric).map((l) => [l.name, l.value]));
    for (const [k, t] of this.labelTemplates) byName.set(k, t.expand(data, tsMs));
    byName.set('alertname', this.rule.alert);
    return { labels: sortLabels([...byName].map(([name, value]) => ({ name, value }))), data };
  }

  evaluate(samples: readonly VectorSample[], tsMs: number, limit: number): RuleSample[] {
    const seen = new Map<string, Alert>();
    for (const s of samples) {
      const { labels, data } = this.alertLabels(s, tsMs);
      const key = formatLabels(labels);
      if (seen.has(key)) throw new Error(ERR_DUPLICATE_ALERT);
      const annotations: Record<string, string> = {};
      for (const [k, t] of this.annotationTemplates) annotations[k] = t.expand(data, tsMs);
      seen.set(key, { labels, annotations, state: 'pending', value: s.value, activeAtMs: tsMs, firedAtMs: 0, resolvedAtMs: 0, lastSentAtMs: 0, validUntilMs: 0, keepFiringSinceMs: 0 });
    }
    for (const [key, fresh] of seen) {
      const old = this.active.get(key);
      if (old && old.state !== 'inactive') {
        old.value = fresh.value;
        old.annotations = fresh.annotations;
      } else {
        this.active.set(key, fresh);
      }
    }
    const out: RuleSample[] = [];
    let activeCount = 0;
    for (const [key, a] of this.active) {
      if (!seen.has(key)) {
        let keepFiring = false;
        if (a.state === 'firing' && this.rule.keepFiringForMs > 0) {
          if (a.keepFiringSinceMs === 0) a.keepFiringSinceMs = tsMs;
          keepFiring = tsMs - a.keepFiringSinceMs < this.rule.keepFiringForMs;
        }
        if (a.state === 'pending' || (a.resolvedAtMs !== 0 && tsMs - a.resolvedAtMs > RESOLVED_RETENTION_MS)) this.active.delete(key);
        if (a.state !== 'inactive' && !keepFiring) {
          a.state = 'inactive';
          a.resolvedAtMs = tsMs;
        }
        if (!keepFiring) continue;
      } else {
        a.keepFiringSinceMs = 0;
      }
      activeCount++;
      if (a.state === 'pending' && tsMs - a.activeAtMs >= this.rule.forMs) {
        a.state = 'firing';
        a.firedAtMs = tsMs;
      }
      if (a.state === 'firing' && tsMs - a.activeAtMs < this.rule.forMs) {
        a.state = 'pending';
        a.firedAtMs = 0;
        a.lastSentAtMs = 0;
        a.keepFiringSinceMs = 0;
      }
      out.push({ labels: sortLabels([...a.labels, { name: '__name__', value: 'ALERTS' }, { name: 'alertstate', value: a.state }]), tsMs, value: 1 });
      out.push({ labels: sortLabels([...a.labels, { name: '__name__', value: 'ALERTS_FOR_STATE' }]), tsMs, value: Math.floor(a.activeAtMs / 1000) });
    }
    if (limit > 0 && activeCount > limit) {
      this.active.clear();
      throw new Error(`exceeded limit of ${limit} with ${activeCount} alerts`);
    }
    return out;
  }

  /**
   * Restore the `for` state after a start or a handover, as Loki's ruler does (`L:pkg/ruler/memstore.go`
   * with Prometheus' RestoreForState): `past` is the rule's result at `tsMs - for`; a pending
   * alert whose label set was already there is taken as active since then, so it fires at the
   * next evaluation instead of waiting `for` again.
   */
  restore(past: readonly VectorSample[], tsMs: number): void {
    const since = tsMs - this.rule.forMs;
    const keys = new Set(past.map((s) => formatLabels(this.alertLabels(s, since).labels)));
    for (const [key, a] of this.active) if (a.state === 'pending' && keys.has(key) && a.activeAtMs > since) a.activeAtMs = since;
  }

  /**
   * The alerts to send at `tsMs` (firing ones due for a resend, resolved ones not yet sent
   * since), each marked sent and valid until `tsMs + 4 × max(interval, resendDelay)`.
   */
  alertsToSend(tsMs: number, resendDelayMs: number, intervalMs: number): Alert[] {
    const out: Alert[] = [];
    for (const a of this.active.values()) {
      if (a.state === 'pending') continue;
      const due = a.lastSentAtMs === 0 || a.resolvedAtMs > a.lastSentAtMs || a.lastSentAtMs + resendDelayMs < tsMs;
      if (!due) continue;
      a.lastSentAtMs = tsMs;
      a.validUntilMs = tsMs + 4 * Math.max(intervalMs, resendDelayMs);
      out.push({ ...a });
    }
    return out;
  }

  /** Pending and firing alerts (what the rules and alerts APIs list), in label order. */
  activeAlerts(): Alert[] {
    return [...this.active.values()].filter((a) => a.resolvedAtMs === 0).sort((a, b) => (formatLabels(a.labels) < formatLabels(b.labels) ? -1 : 1));
  }

  /** The most severe state of the rule's alerts. */
  state(): AlertState {
    let s: AlertState = 'inactive';
    for (const a of this.active.values()) {
      if (a.state === 'firing') return 'firing';
      if (a.state === 'pending') s = 'pending';
    }
    return s;
  }
}
