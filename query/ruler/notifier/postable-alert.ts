/**
 * Alerts as Alertmanager's API v2 takes them (`PostableAlert`: labels, annotations, startsAt,
 * endsAt, generatorURL), built as Loki's ruler builds them (`L:pkg/ruler/base/ruler.go`
 * SendAlerts, grafanaLinkForExpression): startsAt is when the alert fired, endsAt its resolution
 * or how long it stays valid, external labels added where missing, and a generator URL opening
 * the expression in Grafana's Explore. Times in RFC 3339 with milliseconds. Pure.
 */
import { labelsToObject } from '../../../schemas/labels/index.js';
import type { Alert } from '../alerting-rule.js';

/** What the ruler's config adds to every alert. */
export interface AlertSource {
  readonly externalUrl: string;
  readonly datasourceUid: string;
  readonly externalLabels: Readonly<Record<string, string>>;
}

/** One alert as posted. */
export interface PostableAlert {
  readonly labels: Record<string, string>;
  readonly annotations?: Record<string, string>;
  readonly startsAt: string;
  readonly endsAt: string;
  readonly generatorURL?: string;
}

/** Go's strfmt.DateTime with milliseconds (`2006-01-02T15:04:05.000Z07:00`), zero time as Go prints it. */
export function rfc3339Millis(ms: number): string {
  return ms === 0 ? '0001-01-01T00:00:00.000Z' : new Date(ms).toISOString();
}

/** Go's json.Marshal escaping of <, > and & (and the JS line separators) in strings. */
function goJson(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Go's url.QueryEscape. */
export function goQueryEscape(s: string): string {
  return [...Buffer.from(s, 'utf8')].map((b) => {
    const c = String.fromCharCode(b);
    if (/[A-Za-z0-9\-_.~]/.test(c)) return c;
    if (c === ' ') return '+';
    return `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }).join('');
}

/** Loki's generator URL: `<external_url>/explore?left=<{"queries":[{expr, queryType: range, datasource}]}>`. */
export function generatorUrl(src: AlertSource, expr: string): string {
  const query: Record<string, unknown> = { expr, queryType: 'range' };
  if (src.datasourceUid !== '') query.datasource = { type: 'loki', uid: src.datasourceUid };
  return `${src.externalUrl}/explore?left=${goQueryEscape(`{"queries":[${goJson(query)}]}`)}`;
}

/** The posted form of an alert of the rule with expression `expr`. */
export function postableAlert(a: Alert, expr: string, src: AlertSource): PostableAlert {
  const labels = labelsToObject(a.labels);
  for (const [k, v] of Object.entries(src.externalLabels)) if (!(k in labels)) labels[k] = v;
  const out: { -readonly [K in keyof PostableAlert]: PostableAlert[K] } = {
    labels,
    startsAt: rfc3339Millis(a.firedAtMs),
    endsAt: rfc3339Millis(a.resolvedAtMs !== 0 ? a.resolvedAtMs : a.validUntilMs),
    generatorURL: generatorUrl(src, expr),
  };
  if (Object.keys(a.annotations).length > 0) out.annotations = { ...a.annotations };
  return out;
}
