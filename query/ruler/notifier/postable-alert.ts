/**
 * Alerts as Alertmanager's API v2 takes them (`PostableAlert`: labels, annotations, startsAt,
 * endsAt, generatorURL), built as Loki's ruler builds them (`L:pkg/ruler/base/ruler.go`
 * SendAlerts, grafanaLinkForExpression): startsAt is when the alert fired, endsAt its resolution
 * or how long it stays valid, external labels added where missing, and a generator URL opening
 * the expression in Grafana's Explore. Times in RFC 3339 with milliseconds. Pure.
 */
import { formatRfc3339Millis, goJsonMarshal, goQueryEscape } from '../../../schemas/go/index.js';
import { labelsToObject } from '../../../schemas/labels/index.js';
import type { Alert } from '../alerting-rule.js';

/** What the ruler's config adds to every alert. */
export interface AlertSource {
  readonly externalUrl: string;
  readonly datasourceUid: string;
  readonly externalLabels: Readonly<Record<string, string>>;
}

/** One alert as posted, with Go's field order (annotations, endsAt, startsAt, generatorURL, labels). */
export interface PostableAlert {
  readonly annotations?: Record<string, string>;
  readonly endsAt: string;
  readonly startsAt: string;
  readonly generatorURL?: string;
  readonly labels: Record<string, string>;
}

/** Loki's generator URL: `<external_url>/explore?left=<{"queries":[{expr, queryType: range, datasource}]}>`. */
export function generatorUrl(src: AlertSource, expr: string): string {
  const query: Record<string, unknown> = { expr, queryType: 'range' };
  if (src.datasourceUid !== '') query.datasource = { type: 'loki', uid: src.datasourceUid };
  return `${src.externalUrl}/explore?left=${goQueryEscape(`{"queries":[${goJsonMarshal(query)}]}`)}`;
}

function sorted(obj: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.keys(obj).sort().map((k) => [k, obj[k] as string]));
}

/** The posted form of an alert of the rule with expression `expr`. */
export function postableAlert(a: Alert, expr: string, src: AlertSource): PostableAlert {
  const labels = labelsToObject(a.labels);
  for (const [k, v] of Object.entries(src.externalLabels)) if (!(k in labels)) labels[k] = v;
  return {
    ...(Object.keys(a.annotations).length > 0 ? { annotations: sorted(a.annotations) } : {}),
    endsAt: formatRfc3339Millis(a.resolvedAtMs !== 0 ? a.resolvedAtMs : a.validUntilMs),
    startsAt: formatRfc3339Millis(a.firedAtMs),
    generatorURL: generatorUrl(src, expr),
    labels: sorted(labels),
  };
}

/** The body of one POST to Alertmanager, as Go's encoding/json writes it. */
export function alertsBody(alerts: readonly PostableAlert[]): string {
  return goJsonMarshal(alerts);
}
