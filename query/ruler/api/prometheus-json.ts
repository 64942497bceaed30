/**
 * The JSON of `/prometheus/api/v1/rules` and `/prometheus/api/v1/alerts`, field for field and in
 * order as Loki writes it (`L:pkg/ruler/base/api.go` RuleGroup, alertingRule, recordingRule,
 * Alert): seconds as floats, times in RFC 3339 with nanoseconds (Go's zero time before a first
 * evaluation), alert values as Go's `%e` shortest form, labels as objects. Pure.
 */
import { formatGoFloatE, formatRfc3339Nano, goJsonMarshal } from '../../../schemas/go/index.js';
import { labelsToObject } from '../../../schemas/labels/index.js';
import type { Alert } from '../alerting-rule.js';
import type { RuleHealth } from '../group-runner.js';
import type { RuleDesc } from '../rule-group.js';

/** An object with its keys sorted, as Prometheus' labels.Labels marshals. */
function sorted(obj: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.keys(obj).sort().map((k) => [k, obj[k] as string]));
}

/** An active alert of the API. */
export interface AlertJson {
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
  readonly state: string;
  readonly activeAt: string;
  readonly value: string;
}

/** An alert as the API lists it. */
export function alertJson(a: Alert): AlertJson {
  return { labels: labelsToObject(a.labels), annotations: sorted(a.annotations), state: a.state, activeAt: formatRfc3339Nano(a.activeAtMs), value: formatGoFloatE(a.value) };
}

/** What the API shows of one rule. */
export interface RuleView {
  readonly desc: RuleDesc;
  readonly query: string;
  /** Null for recording rules; `unknown` before the first evaluation. */
  readonly state: string | null;
  readonly alerts: readonly Alert[];
  readonly health: RuleHealth;
  readonly lastError: string;
  readonly lastEvaluationMs: number;
  readonly evaluationSeconds: number;
}

/** What the API shows of one group. */
export interface GroupView {
  readonly name: string;
  readonly file: string;
  readonly rules: readonly RuleView[];
  readonly intervalSeconds: number;
  readonly limit: number;
  readonly lastEvaluationMs: number;
  readonly evaluationSeconds: number;
}

/** A rule of the rules API. */
export function ruleJson(r: RuleView): Record<string, unknown> {
  if (r.state === null) {
    return {
      name: r.desc.record, query: r.query, labels: sorted(r.desc.labels), health: r.health, lastError: r.lastError,
      type: 'recording', lastEvaluation: formatRfc3339Nano(r.lastEvaluationMs), evaluationTime: r.evaluationSeconds,
    };
  }
  return {
    state: r.state, name: r.desc.alert, query: r.query, duration: r.desc.forMs / 1000, labels: sorted(r.desc.labels),
    annotations: sorted(r.desc.annotations), alerts: r.alerts.map(alertJson), health: r.health, lastError: r.lastError,
    type: 'alerting', lastEvaluation: formatRfc3339Nano(r.lastEvaluationMs), evaluationTime: r.evaluationSeconds,
  };
}

/** A group of the rules API. */
export function groupJson(g: GroupView): Record<string, unknown> {
  return {
    name: g.name, file: g.file, rules: g.rules.map(ruleJson), interval: g.intervalSeconds, limit: g.limit,
    lastEvaluation: formatRfc3339Nano(g.lastEvaluationMs), evaluationTime: g.evaluationSeconds,
  };
}

/** Loki's success envelope. */
export function successJson(data: unknown): string {
  return goJsonMarshal({ status: 'success', data, errorType: '', error: '' });
}

/** Loki's error envelope (`errorType` bad_data or server_error). */
export function errorJson(errorType: 'bad_data' | 'server_error', error: string): string {
  return goJsonMarshal({ status: 'error', data: null, errorType, error });
}
