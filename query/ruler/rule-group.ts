/**
 * Rule groups as the ruler keeps them: Prometheus' rule-file group (`rulefmt.RuleGroup`) with
 * LogQL expressions, placed in a tenant's namespace (Loki's `rulespb.RuleGroupDesc`). Durations
 * are milliseconds. Pure.
 */

/** One rule: exactly one of `record` and `alert` is set (checked by validateGroups). */
export interface RuleDesc {
  readonly record: string;
  readonly alert: string;
  readonly expr: string;
  /** `for`: how long an alert stays pending before it fires. */
  readonly forMs: number;
  /** `keep_firing_for`: how long a firing alert keeps firing after its condition is gone. */
  readonly keepFiringForMs: number;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
}

/** A rule group of a tenant's namespace. */
export interface RuleGroupDesc {
  readonly name: string;
  readonly namespace: string;
  readonly tenant: string;
  /** `interval`; 0 means `ruler.evaluation_interval`. */
  readonly intervalMs: number;
  /** `limit`: most alerts or series a rule may produce; 0 means no limit. */
  readonly limit: number;
  readonly rules: readonly RuleDesc[];
}

/** The groups of one tenant by namespace (Loki's `RuleGroupList` keyed by namespace). */
export type NamespaceGroups = ReadonlyMap<string, readonly RuleGroupDesc[]>;

/** A rule with every field at its zero value but those given. */
export function ruleDesc(fields: Partial<RuleDesc>): RuleDesc {
  return { record: '', alert: '', expr: '', forMs: 0, keepFiringForMs: 0, labels: {}, annotations: {}, ...fields };
}

/** The key of a group across tenants: `<tenant>/<namespace>/<group>` (Loki's by-group shard token input). */
export function groupKey(g: Pick<RuleGroupDesc, 'tenant' | 'namespace' | 'name'>): string {
  return `${g.tenant}/${g.namespace}/${g.name}`;
}

function sameRecord(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => b[k] === a[k]);
}

/** Whether two groups would evaluate the same way (a synced group whose rules did not change keeps its state). */
export function sameGroup(a: RuleGroupDesc, b: RuleGroupDesc): boolean {
  if (a.name !== b.name || a.namespace !== b.namespace || a.tenant !== b.tenant) return false;
  if (a.intervalMs !== b.intervalMs || a.limit !== b.limit || a.rules.length !== b.rules.length) return false;
  return a.rules.every((r, i) => {
    const o = b.rules[i] as RuleDesc;
    return r.record === o.record && r.alert === o.alert && r.expr === o.expr && r.forMs === o.forMs
      && r.keepFiringForMs === o.keepFiringForMs && sameRecord(r.labels, o.labels) && sameRecord(r.annotations, o.annotations);
  });
}
