/**
 * Rule files and posted groups, decoded and validated into rule groups. A file's errors name the
 * file, and each rule problem its group, rule number and line, before Loki's message (which holds
 * the LogQL parse error with its line and column). A posted group's errors are Loki's messages
 * alone, joined with ", ", as the rules API answers them. Pure.
 */
import type { TemplateFunctionSet } from '../logql/index.js';
import type { RuleGroupDesc } from './rule-group.js';
import { RuleYamlError, decodeRuleFile, decodeRuleGroup, type DecodedGroup } from './rule-yaml-decode.js';
import { validateGroups } from './rule-validate.js';

/** Groups, or why there are none. */
export type RuleParse<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

/** Loki's answer to a posted body that is not one YAML rule group. */
export const ERR_DECODE_GROUP = 'unable to decoded rule group';

function place(g: DecodedGroup, tenant: string, namespace: string): RuleGroupDesc {
  return { name: g.name, namespace, tenant, intervalMs: g.intervalMs, limit: g.limit, rules: g.rules };
}

function ruleName(g: DecodedGroup, j: number): string {
  const r = g.rules[j];
  if (!r) return '';
  return r.alert !== '' ? ` (alert ${JSON.stringify(r.alert)})` : r.record !== '' ? ` (record ${JSON.stringify(r.record)})` : '';
}

/** A namespace file of a tenant (`groups:` document), strictly decoded and validated. */
export function parseRuleFile(text: string, where: { readonly tenant: string; readonly namespace: string; readonly path: string }, fns: TemplateFunctionSet): RuleParse<RuleGroupDesc[]> {
  let groups: DecodedGroup[];
  try {
    groups = decodeRuleFile(text);
  } catch (err) {
    if (err instanceof RuleYamlError) return { ok: false, error: `error parsing ${where.path}: ${err.message}` };
    throw err;
  }
  const issues = validateGroups(groups, fns);
  if (issues.length > 0) {
    const lines = issues.map((i) => {
      const g = groups[i.group] as DecodedGroup;
      if (i.rule === null) return `line ${g.line}: ${i.message}`;
      return `line ${g.ruleLines[i.rule] ?? g.line}: group ${JSON.stringify(g.name)}, rule ${i.rule + 1}${ruleName(g, i.rule)}: ${i.message}`;
    });
    return { ok: false, error: `error parsing ${where.path}: ${lines.join('; ')}` };
  }
  return { ok: true, value: groups.map((g) => place(g, where.tenant, where.namespace)) };
}

/** One group posted to the rules API (non-strict YAML), validated; errors as Loki's API gives them. */
export function parsePostedGroup(text: string, tenant: string, namespace: string, fns: TemplateFunctionSet): RuleParse<RuleGroupDesc> {
  let g: DecodedGroup;
  try {
    g = decodeRuleGroup(text);
  } catch (err) {
    if (err instanceof RuleYamlError) return { ok: false, error: ERR_DECODE_GROUP };
    throw err;
  }
  const issues = validateGroups([g], fns);
  if (issues.length > 0) return { ok: false, error: issues.map((i) => i.message).join(', ') };
  return { ok: true, value: place(g, tenant, namespace) };
}
