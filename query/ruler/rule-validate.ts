/**
 * Rule group validation with Loki's checks and messages (`L:pkg/ruler/compat.go` ValidateGroups,
 * validateRule, testTemplateParsing): group names, one of record/alert, a LogQL expression that
 * parses (the parse error keeps its line and column), recording-rule fields, label and
 * annotation names, alert templates. Only a rule's first problem is reported, as Loki does. Pure.
 */
import { isValidLabelName } from '../../schemas/labels/index.js';
import { errorMessage } from '../../schemas/index.js';
import { parseExpr, type TemplateFunctionSet } from '../logql/index.js';
import { compileAlertTemplate } from './alert-template.js';
import type { RuleDesc } from './rule-group.js';

/** One problem: which group (by index), which rule (null for the group itself), and Loki's message. */
export interface RuleIssue {
  readonly group: number;
  readonly rule: number | null;
  readonly message: string;
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

function templateProblem(rule: RuleDesc, fns: TemplateFunctionSet): string | null {
  for (const [kind, entries] of [['label', rule.labels], ['annotation', rule.annotations]] as const) {
    for (const [k, text] of Object.entries(entries)) {
      try {
        compileAlertTemplate(rule.alert, text, fns);
      } catch (err) {
        return `${kind} ${JSON.stringify(k)}: ${errorMessage(err)}`;
      }
    }
  }
  return null;
}

/** The first problem of one rule, or null; `group` is the group's name. */
export function validateRule(rule: RuleDesc, group: string, fns: TemplateFunctionSet): string | null {
  if (rule.record !== '' && rule.alert !== '') return "only one of 'record' and 'alert' must be set";
  if (rule.record === '' && rule.alert === '') return "one of 'record' or 'alert' must be set";
  if (rule.expr === '') return "field 'expr' must be set in rule";
  try {
    parseExpr(rule.expr);
  } catch (err) {
    const what = rule.record !== '' ? `record '${rule.record}'` : `alert '${rule.alert}'`;
    return `could not parse expression for ${what} in group '${group}': ${errorMessage(err)}`;
  }
  if (rule.record !== '') {
    if (Object.keys(rule.annotations).length > 0) return "invalid field 'annotations' in recording rule";
    if (rule.forMs !== 0) return "invalid field 'for' in recording rule";
    if (!METRIC_NAME.test(rule.record)) return `invalid recording rule name: ${rule.record}`;
  }
  for (const k of Object.keys(rule.labels)) {
    if (!isValidLabelName(k) || k === '__name__') return `invalid label name: ${k}`;
  }
  for (const k of Object.keys(rule.annotations)) {
    if (!isValidLabelName(k)) return `invalid annotation name: ${k}`;
  }
  return rule.alert !== '' ? templateProblem(rule, fns) : null;
}

/** Every problem of the groups of one file (or of one posted group), in Loki's order. */
export function validateGroups(groups: ReadonlyArray<{ readonly name: string; readonly rules: readonly RuleDesc[] }>, fns: TemplateFunctionSet): RuleIssue[] {
  const issues: RuleIssue[] = [];
  const seen = new Set<string>();
  groups.forEach((g, i) => {
    if (g.name === '') issues.push({ group: i, rule: null, message: `group ${i}: Groupname must not be empty` });
    if (seen.has(g.name)) issues.push({ group: i, rule: null, message: `groupname: "${g.name}" is repeated in the same file` });
    seen.add(g.name);
    g.rules.forEach((r, j) => {
      const message = validateRule(r, g.name, fns);
      if (message !== null) issues.push({ group: i, rule: j, message });
    });
  });
  return issues;
}
